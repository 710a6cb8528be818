package org.mha4j.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the MariaDB server programs are: {@code MHA4J_MARIADB_BASEDIR} (a directory holding bin/ and sbin/ or the
 * programs themselves) if set, else the PATH and the Debian locations.
 */
record MariadbBinaries(Path mariadbd, Path installDb) {

    static MariadbBinaries locate() {
        List<Path> dirs = Stream.concat(
                Optional.ofNullable(System.getenv("MHA4J_MARIADB_BASEDIR")).stream()
                        .flatMap(b -> Stream.of(Path.of(b), Path.of(b, "bin"), Path.of(b, "sbin"), Path.of(b, "scripts"))),
                Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(s -> !s.isEmpty()).map(Path::of),
                        Stream.of(Path.of("/usr/sbin"), Path.of("/usr/bin")))).toList();
        Path server = find(dirs, "mariadbd").orElseThrow(() -> new SandboxException(
                "mariadbd not found (looked in MHA4J_MARIADB_BASEDIR, PATH, /usr/sbin): install it with"
                        + " `apt-get install mariadb-server mariadb-client`, or point MHA4J_MARIADB_BASEDIR at a MariaDB installation"));
        Path install = find(dirs, "mariadb-install-db").or(() -> find(dirs, "mysql_install_db")).orElseThrow(() ->
                new SandboxException("mariadb-install-db not found next to " + server + ": install mariadb-server"));
        return new MariadbBinaries(server, install);
    }

    private static Optional<Path> find(List<Path> dirs, String name) {
        return dirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
    }
}
