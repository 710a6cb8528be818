package org.mha4j.topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mha4j.config.ServerConfig;

/** Reads one server's state over an open connection: the I/O half of {@link ServerSnapshot}. */
public final class ServerInspector {
    private ServerInspector() {}

    private static final String VARIABLES_SQL = "SHOW GLOBAL VARIABLES WHERE Variable_name IN ("
            + Dialect.VARIABLES.stream().map(v -> "'" + v + "'").collect(Collectors.joining(",")) + ")";

    public static ServerSnapshot inspect(Connection c, ServerConfig cfg) throws InspectionException {
        return inspect(c, cfg, Optional.empty());
    }

    /** @param managerClock the manager's clock, which the server's is read next to; empty: not read (a failover's discoveries) */
    public static ServerSnapshot inspect(Connection c, ServerConfig cfg, Optional<java.time.Clock> managerClock) throws InspectionException {
        String who = ServerLabels.label(cfg);
        Map<String, String> vars = run(who, VARIABLES_SQL, null, () -> Db.nameValue(c, VARIABLES_SQL));
        ServerVersion version = ServerVersion.parse(vars.get("version"), vars.get("version_comment"));
        Dialect d = Dialect.of(version);
        String replicaSql = d.showReplicaStatus();
        List<Map<String, String>> replicaRows = run(who, replicaSql,
                version.flavor() == Flavor.MARIADB && version.atLeast(10, 5, 9) ? "SLAVE MONITOR" : "REPLICATION CLIENT",
                () -> Db.query(c, replicaSql));
        Optional<ReplicaStatus> replica = d.replicaStatus(replicaRows.isEmpty() ? null : replicaRows.getFirst());
        Map<String, String> status = run(who, "SHOW GLOBAL STATUS", null,
                () -> Db.nameValue(c, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'"));
        boolean logBin = Dialect.Values.on(vars.get("log_bin"));
        BinlogFilters binlogFilters = BinlogFilters.NONE;
        if (logBin) {
            String binlogSql = d.showBinlogStatus();
            List<Map<String, String>> rows = run(who, binlogSql,
                    version.flavor() == Flavor.MARIADB && version.atLeast(10, 5, 2) ? "BINLOG MONITOR" : "REPLICATION CLIENT",
                    () -> Db.query(c, binlogSql));
            if (!rows.isEmpty()) {
                binlogFilters = new BinlogFilters(rows.getFirst().get("Binlog_Do_DB"), rows.getFirst().get("Binlog_Ignore_DB"));
            }
        }
        return new ServerSnapshot(cfg, version,
                Dialect.Values.longOr(vars.get("server_id"), 0),
                Optional.ofNullable(vars.get("server_uuid")),
                logBin,
                d.logSlaveUpdates(vars),
                Dialect.Values.on(vars.get("read_only")),
                d.superReadOnly(vars),
                vars.getOrDefault("binlog_format", ""),
                d.gtidState(vars, replica),
                replica,
                binlogFilters,
                d.semiSync(vars, status),
                Map.copyOf(vars),
                managerClock.flatMap(clock -> clock(c, clock)));
    }

    /** Not a reason to call the server unreadable: without a reading, the clock check says nothing of it. */
    private static Optional<ClockReading> clock(Connection c, java.time.Clock managerClock) {
        try {
            long before = managerClock.millis();
            String server = Db.query(c, "SELECT UNIX_TIMESTAMP(NOW(6)) t").getFirst().get("t");
            long after = managerClock.millis();
            long serverMillis = new java.math.BigDecimal(server).movePointRight(3).longValue();
            return Optional.of(new ClockReading(serverMillis - (before + after) / 2, after - before));
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private interface Read<T> {
        T get() throws SQLException;
    }

    private static <T> T run(String who, String sql, String privilege, Read<T> read) throws InspectionException {
        try {
            return read.get();
        } catch (SQLException e) {
            String hint = privilege != null && (e.getErrorCode() == 1227 || e.getErrorCode() == 1142 || e.getErrorCode() == 1044)
                    ? " — the user in `user=` needs the " + privilege + " privilege: GRANT " + privilege + " ON *.* TO that user"
                    : "";
            throw new InspectionException(who + ": " + sql + " failed: " + e.getMessage() + hint, e);
        }
    }
}
