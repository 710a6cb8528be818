package org.mha4j.promote;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one server during a failover or switch: every statement logged under the server's name and recorded
 * as a step, every wait bounded.
 */
public final class ServerSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mha");

    public final ServerSnapshot server;
    public final Dialect dialect;
    private final Connection c;
    private final Steps steps;

    public ServerSession(ServerSnapshot server, Duration longestWait, Steps steps) throws SQLException {
        this.server = server;
        this.dialect = Dialect.of(server.version());
        this.steps = steps;
        this.c = Db.connect(server.config(), Db.DEFAULT_CONNECT_TIMEOUT, longestWait.plusSeconds(30));
    }

    /** For readers that take a plain connection (the node package's). */
    public Connection connection() {
        return c;
    }

    public void exec(String sql) throws SQLException {
        exec(sql, sql);
    }

    /** @param shown what the log says instead of {@code sql} (CHANGE MASTER carries a password) */
    public void exec(String sql, String shown) throws SQLException {
        log.info("{}: {}", server.label(), shown);
        record(shown, () -> {
            Db.execute(c, sql);
            return null;
        });
    }

    /** Runs a read or wait as a recorded step: the waits are where a failover spends its time. */
    private <T> T record(String shown, Steps.Body<T> body) throws SQLException {
        try {
            return steps.run("sql", server.label(), shown, body);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /** Runs a statement that carries a password (CHANGE MASTER ... MASTER_PASSWORD) and logs it with the password masked. */
    public void execWithPassword(java.util.function.Function<String, String> statement, String password) throws SQLException {
        exec(statement.apply(password), statement.apply(password == null ? null : "******"));
    }

    public String value(String sql) throws SQLException {
        List<Map<String, String>> rows = Db.query(c, sql);
        return rows.isEmpty() ? null : rows.getFirst().values().iterator().next();
    }

    public Map<String, String> variables(String... names) throws SQLException {
        return Db.nameValue(c, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('" + String.join("','", names) + "')");
    }

    public Optional<ReplicaStatus> replicaStatus() throws SQLException {
        List<Map<String, String>> rows = Db.query(c, dialect.showReplicaStatus());
        return rows.isEmpty() ? Optional.empty() : dialect.replicaStatus(rows.getFirst());
    }

    /** This server's binlog already has every transaction of {@code gtids}: nothing to wait for. */
    public boolean holds(String gtids) throws SQLException {
        return dialect.heldGtids(connection()).containsAll(GtidSet.parse(dialect.version().flavor(), gtids));
    }

    /** Waits until this server applied {@code gtids}; false on timeout. */
    public boolean waitFor(String gtids, Duration timeout) throws SQLException {
        if (gtids == null || gtids.isBlank() || holds(gtids)) return true;
        String sql = dialect.waitForGtids(gtids, (int) Math.max(1, timeout.toSeconds()));
        log.info("{}: {}", server.label(), sql);
        return dialect.gtidWaitSucceeded(record(sql, () -> value(sql)));
    }

    /** Both replication threads running, or the error that stops them; bounded. */
    public Optional<String> awaitReplicating(Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReplicaStatus r = null;
        while (System.nanoTime() < deadline) {
            r = replicaStatus().orElse(null);
            if (r != null && r.ioRunning() && r.sqlRunning()) return Optional.empty();
            if (r != null && r.sqlThreadFailed()) break;
            sleep(50);  // the IO thread connects within milliseconds; every poll missed is time the failover waits
        }
        return Optional.of(r == null ? "replication is not configured" : "IO thread " + r.ioThread()
                + (r.lastIoErrno() != 0 ? " (" + r.lastIoErrno() + ": " + r.lastIoError() + ")" : "") + ", SQL thread "
                + (r.sqlRunning() ? "Yes" : "No") + (r.lastSqlErrno() != 0 ? " (" + r.lastSqlErrno() + ": " + r.lastSqlError() + ")" : ""));
    }

    public List<Map<String, String>> rows(String sql) throws SQLException {
        return Db.query(c, sql);
    }

    /** The GTIDs this server has written to its binary log (MariaDB position or MySQL set): what others must reach. */
    public String binlogGtids() throws SQLException {
        return variables("gtid_binlog_pos", "gtid_executed").values().stream().filter(v -> v != null && !v.isBlank()).findFirst().orElse("");
    }

    /** Where this server's binary log ends now: SHOW MASTER STATUS (or SHOW BINARY LOG STATUS). */
    public BinlogPosition binlogPosition() throws SQLException {
        List<Map<String, String>> rows = rows(dialect.showBinlogStatus());
        if (rows.isEmpty()) throw new SQLException(server.label() + ": " + dialect.showBinlogStatus() + " is empty (log-bin off?)");
        return new BinlogPosition(rows.getFirst().get("File"), Long.parseLong(rows.getFirst().get("Position")));
    }

    /** Waits until this replica's SQL thread executed up to {@code at} of its master's binlog; false on timeout or error. */
    public boolean waitForPosition(BinlogPosition at, Duration timeout) throws SQLException {
        String sql = dialect.waitForPosition(at, (int) Math.max(1, timeout.toSeconds()));
        log.info("{}: {}", server.label(), sql);
        String r = record(sql, () -> value(sql));
        return r != null && !r.startsWith("-");
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after the work is done; nothing depends on it
        }
    }
}
