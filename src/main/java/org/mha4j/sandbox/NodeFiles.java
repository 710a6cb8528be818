package org.mha4j.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The files a node is configured with: its my.cnf (as the seed's servers, small) and its one-time bootstrap SQL. */
final class NodeFiles {
    private NodeFiles() {}

    /** Replicas' semi-sync master side stays OFF: with log_slave_updates their SQL thread would wait for acks that never come. */
    static String myCnf(SandboxNode n, boolean master, int semiSyncTimeoutMs) {
        return """
                # MHA4J sandbox node %d, configured like the seed's servers (GTID, binlog, log_slave_updates), kept small.
                # Start by hand: mariadbd --defaults-file=%s
                [mariadbd]
                user=%s
                datadir=%s
                tmpdir=%s
                socket=%s
                pid-file=%s
                log-error=%s
                port=%d
                bind-address=127.0.0.1
                skip-name-resolve
                server-id=%d
                log-bin=%s/binlog
                relay-log=%s/relaylog
                log-slave-updates=1
                binlog-format=ROW
                gtid-strict-mode=1
                skip-slave-start
                read-only=%d
                character-set-server=utf8mb4
                innodb-buffer-pool-size=16M
                innodb-log-file-size=16M
                performance-schema=OFF
                slave-net-timeout=4
                # parallel apply keeps replicas close behind a busy master: an online switch waits for that backlog
                slave-parallel-threads=4
                slave-parallel-mode=optimistic
                rpl-semi-sync-slave-enabled=ON
                rpl-semi-sync-master-enabled=%s
                rpl-semi-sync-master-timeout=%d
                # lossless, as MySQL 5.7's default in the seed (MariaDB's own default is AFTER_COMMIT)
                rpl-semi-sync-master-wait-point=AFTER_SYNC
                """.formatted(n.index(), n.myCnf(), System.getProperty("user.name"), n.datadir(), n.tmpdir(), n.socket(),
                n.pidFile(), n.errorLog(), n.port(), n.serverId(), n.binlogDir(), n.dir(), master ? 0 : 1,
                master ? "ON" : "OFF", semiSyncTimeoutMs);
    }

    /**
     * Accounts, created on every node with sql_log_bin=0 so no node starts with GTIDs of its own: the same users
     * everywhere (needed after a failover) and no errant transactions. Deleted once the node has started.
     */
    static Path bootstrapSql(SandboxNode n, SandboxState s) {
        String sql = """
                SET SESSION sql_log_bin=0;
                CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '%1$s';
                GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
                CREATE USER IF NOT EXISTS 'mha'@'127.0.0.1' IDENTIFIED BY '%2$s';
                GRANT ALL PRIVILEGES ON *.* TO 'mha'@'127.0.0.1';
                CREATE USER IF NOT EXISTS 'mha'@'localhost' IDENTIFIED BY '%2$s';
                GRANT ALL PRIVILEGES ON *.* TO 'mha'@'localhost';
                CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY '%3$s';
                GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'127.0.0.1';
                """.formatted(s.rootPassword(), s.adminPassword(), s.replPassword());
        Path f = n.dir().resolve("bootstrap.sql");
        try {
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, sql);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
