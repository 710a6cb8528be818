package org.mha4j.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.mha4j.config.PingType;
import org.mha4j.config.ServerConfig;
import org.mha4j.semisync.SemiSyncSql;
import org.mha4j.topology.ConnectFailure;
import org.mha4j.topology.Db;

/**
 * One health check of the master, as MHA's ping types do it. SELECT keeps its connection (a server that refuses
 * new connections for a while after a network hiccup is still alive); every wait is bounded by ping_interval.
 */
final class Pinger implements AutoCloseable {

    sealed interface Result {
        /** @param semiSyncActive the master's Rpl_semi_sync_master_status, when it has semi-sync */
        record Ok(Optional<Boolean> semiSyncActive) implements Result {}

        /** The server answered but refused us (access denied, too many connections): alive, never a reason to fail over. */
        record Refused(ConnectFailure failure) implements Result {}

        /** @param failure how: refused (nothing listens on its port: mysqld is not running there), timed out, no route, ... */
        record Failed(ConnectFailure failure) implements Result {
            String reason() {
                return failure.reason() + ": " + failure.detail();
            }

            boolean refused() {
                return failure.kind() == ConnectFailure.Kind.REFUSED;
            }

            /** No answer within the check's bound (a hung server, a lost route). */
            boolean timedOut() {
                return failure.kind() == ConnectFailure.Kind.TIMEOUT;
            }
        }
    }

    private final ServerConfig master;
    private final Duration timeout;
    private Connection kept;

    Pinger(ServerConfig master) {
        this.master = master;
        this.timeout = timeout(master);
    }

    /** How long a check waits for an answer: one ping_interval, at least a second, as MHA. */
    static Duration timeout(ServerConfig master) {
        return Duration.ofSeconds(Math.max(1, master.pingInterval()));
    }

    /**
     * One check. A kept connection that broke (the server closed it: a crash, a restart, a KILL, wait_timeout) is tried
     * again at once on a new one, as MHA reconnects: a server that answers is alive, one whose port is closed has crashed,
     * and neither has to wait for the next interval to be told apart.
     */
    Result ping() {
        boolean hadConnection = kept != null;
        Result r = once();
        // not after a timeout: a hung server would make the check wait twice
        if (r instanceof Result.Failed f && !f.timedOut() && hadConnection && master.pingType() != PingType.CONNECT) r = once();
        return r;
    }

    private Result once() {
        PingType type = master.pingType();
        try {
            Connection c = type == PingType.CONNECT ? Db.connect(master, timeout, timeout) : connection();
            try {
                if (type == PingType.INSERT) {
                    Db.execute(c, "CREATE DATABASE IF NOT EXISTS infra");
                    Db.execute(c, "CREATE TABLE IF NOT EXISTS infra.chk_masterha (`key` tinyint NOT NULL PRIMARY KEY, val int(10) unsigned NOT NULL DEFAULT '0')");
                    Db.execute(c, "INSERT INTO infra.chk_masterha VALUES (1, UNIX_TIMESTAMP()) ON DUPLICATE KEY UPDATE val=UNIX_TIMESTAMP()");
                } else {
                    Db.query(c, "SELECT 1 As Value");
                }
                String status = Db.nameValue(c, SemiSyncSql.MASTER_STATUS_QUERY)
                        .values().stream().findFirst().orElse(null);
                return new Result.Ok(Optional.ofNullable(status).map(s -> s.equalsIgnoreCase("ON")));
            } finally {
                if (type == PingType.CONNECT) c.close();
            }
        } catch (SQLException e) {
            close();
            ConnectFailure f = ConnectFailure.of(e);
            return f.serverIsAlive() ? new Result.Refused(f) : new Result.Failed(f);
        }
    }

    private Connection connection() throws SQLException {
        if (kept == null || kept.isClosed()) kept = Db.connect(master, timeout, timeout);
        return kept;
    }

    @Override
    public void close() {
        if (kept != null) {
            try {
                kept.close();
            } catch (SQLException ignored) {
                // the connection is being thrown away
            }
            kept = null;
        }
    }
}
