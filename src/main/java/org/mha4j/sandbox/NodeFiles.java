package org.mha4j.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** The files a node is configured with: its my.cnf (as the seed's servers, small) and its one-time bootstrap SQL. */
final class NodeFiles {
    private NodeFiles() {}

    /**
     * What every flavor's my.cnf says, as the seed's servers (binlog, log_slave_updates, read-only replicas,
     * skip-slave-start) on the node's own port and directories, kept small.
     */
    static String commonCnf(SandboxNode n, String section, String startHint, boolean master) {
        return """
                # MHA4J sandbox node %d, configured like the seed's servers (GTID, binlog, log_slave_updates), kept small.
                # Start by hand: %s --defaults-file=%s
                [%s]
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
                skip-slave-start
                read-only=%d
                character-set-server=utf8mb4
                innodb-buffer-pool-size=16M
                performance-schema=OFF
                # lab tuning, not a production setting (the default is 60): replicas in tests without a manager notice a
                # dead master in seconds. The manager does not need it (it keeps a heartbeat every second);
                # `mha bench failover --server-defaults` and SafetyIT's hung-master test run with 60.
                slave-net-timeout=4
                """.formatted(n.index(), startHint, n.myCnf(), section, System.getProperty("user.name"), n.datadir(), n.tmpdir(),
                n.socket(), n.pidFile(), n.errorLog(), n.port(), n.serverId(), n.binlogDir(), n.dir(), master ? 0 : 1);
    }

    /** Replicas' semi-sync master side stays OFF: with log_slave_updates their SQL thread would wait for acks that never come. */
    static String myCnf(SandboxNode n, boolean master, int semiSyncTimeoutMs) {
        return commonCnf(n, "mariadbd", "mariadbd", master) + """
                gtid-strict-mode=1
                innodb-log-file-size=16M
                # parallel apply keeps replicas close behind a busy master: an online switch waits for that backlog
                slave-parallel-threads=4
                slave-parallel-mode=optimistic
                rpl-semi-sync-slave-enabled=ON
                rpl-semi-sync-master-enabled=%s
                rpl-semi-sync-master-timeout=%d
                # lossless, as MySQL 5.7's default in the seed (MariaDB's own default is AFTER_COMMIT)
                rpl-semi-sync-master-wait-point=AFTER_SYNC
                """.formatted(master ? "ON" : "OFF", semiSyncTimeoutMs);
    }

    /** MariaDB's accounts (10.4+ syntax); the first statement keeps them out of the binary log. */
    static List<String> mariadbAccounts(SandboxState s) {
        return List.of(
                "SET SESSION sql_log_bin=0",
                "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '" + s.rootPassword() + "'",
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION",
                "CREATE USER IF NOT EXISTS 'mha'@'127.0.0.1' IDENTIFIED BY '" + s.adminPassword() + "'",
                "GRANT ALL PRIVILEGES ON *.* TO 'mha'@'127.0.0.1'",
                "CREATE USER IF NOT EXISTS 'mha'@'localhost' IDENTIFIED BY '" + s.adminPassword() + "'",
                "GRANT ALL PRIVILEGES ON *.* TO 'mha'@'localhost'",
                "CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY '" + s.replPassword() + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'127.0.0.1'");
    }

    /**
     * The accounts as a one-time init file (mode 600, deleted once the node has started): the same users everywhere,
     * created on every node with sql_log_bin=0, so no node starts with GTIDs of its own.
     */
    static Path initFile(SandboxNode n, List<String> statements) {
        Path f = n.dir().resolve("bootstrap.sql");
        try {
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, String.join(";\n", statements) + ";\n");
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
