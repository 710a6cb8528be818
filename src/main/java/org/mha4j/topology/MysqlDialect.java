package org.mha4j.topology;

import static org.mha4j.topology.Dialect.Values.*;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Oracle MySQL 5.6 to 8.4. The renames that matter: {@code SHOW REPLICA STATUS} with Source_* columns from
 * 8.0.22, {@code log_replica_updates} from 8.0.26, {@code SHOW BINARY LOG STATUS} from 8.2 (the MASTER form is
 * gone in 8.4). Semi-sync variable names depend on which plugin is loaded, handled in {@link Dialect#semiSync}.
 */
public record MysqlDialect(ServerVersion version) implements Dialect {

    private boolean sourceNaming() {
        return version.atLeast(8, 0, 22);
    }

    @Override
    public String showReplicaStatus() {
        return sourceNaming() ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
    }

    @Override
    public String showBinlogStatus() {
        return version.atLeast(8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    @Override
    public Optional<ReplicaStatus> replicaStatus(Map<String, String> row) {
        if (row == null || row.isEmpty()) return Optional.empty();
        String m = sourceNaming() ? "Source" : "Master";
        String s = sourceNaming() ? "Replica" : "Slave";
        boolean autoPosition = "1".equals(row.get("Auto_Position"));
        String executed = str(row, "Executed_Gtid_Set");
        return Optional.of(new ReplicaStatus(
                str(row, m + "_Host"),
                intOr(row.get(m + "_Port"), 3306),
                str(row, m + "_User"),
                ReplicaStatus.ThreadState.parse(row.get(s + "_IO_Running")),
                "Yes".equalsIgnoreCase(row.get(s + "_SQL_Running")),
                number(row.get("Seconds_Behind_" + m)),
                intOr(row.get("Last_IO_Errno"), 0),
                str(row, "Last_IO_Error"),
                intOr(row.get("Last_SQL_Errno"), 0),
                str(row, "Last_SQL_Error"),
                str(row, m + "_Log_File"),
                longOr(row.get("Read_" + m + "_Log_Pos"), 0),
                str(row, "Relay_" + m + "_Log_File"),
                longOr(row.get("Exec_" + m + "_Log_Pos"), 0),
                autoPosition ? "AUTO_POSITION" : "No",
                str(row, "Retrieved_Gtid_Set"),
                executed.isEmpty() ? Optional.empty() : Optional.of(executed),
                new ReplicationFilters(row.get("Replicate_Do_DB"), row.get("Replicate_Ignore_DB"),
                        row.get("Replicate_Do_Table"), row.get("Replicate_Ignore_Table"),
                        row.get("Replicate_Wild_Do_Table"), row.get("Replicate_Wild_Ignore_Table"))));
    }

    /** MySQL 8.0+ lists the global filters in performance_schema; before that only SHOW SLAVE STATUS shows them. */
    @Override
    public ReplicationFilters configuredFilters(Connection c) throws SQLException {
        if (version.atLeast(8, 0, 11)) {
            Map<String, String> f = new java.util.HashMap<>();
            for (Map<String, String> row : Db.query(c, "SELECT FILTER_NAME, FILTER_RULE FROM performance_schema.replication_applier_global_filters")) {
                f.put(row.get("FILTER_NAME").toUpperCase(java.util.Locale.ROOT), row.get("FILTER_RULE"));
            }
            return new ReplicationFilters(f.get("REPLICATE_DO_DB"), f.get("REPLICATE_IGNORE_DB"), f.get("REPLICATE_DO_TABLE"),
                    f.get("REPLICATE_IGNORE_TABLE"), f.get("REPLICATE_WILD_DO_TABLE"), f.get("REPLICATE_WILD_IGNORE_TABLE"));
        }
        Optional<ReplicaStatus> now = replicaStatusOf(c);
        if (now.isPresent()) return now.get().filters();
        Db.execute(c, "CHANGE MASTER TO MASTER_HOST='dummy_host'");
        try {
            return replicaStatusOf(c).map(ReplicaStatus::filters).orElse(ReplicationFilters.NONE);
        } finally {
            Db.execute(c, resetReplicaAll());
        }
    }

    @Override
    public GtidState gtidState(Map<String, String> variables, Optional<ReplicaStatus> replica) {
        String mode = variables.getOrDefault("gtid_mode", "OFF");
        return new GtidState("ON".equalsIgnoreCase(mode), mode, MysqlGtidSet.parse(variables.get("gtid_executed")));
    }

    /** Received = executed plus retrieved: a replica has everything it applied and everything in its relay log. */
    @Override
    public GtidSet receivedGtids(ServerSnapshot replica) {
        MysqlGtidSet executed = (MysqlGtidSet) replica.gtid().executed();
        String retrieved = replica.replica().map(ReplicaStatus::receivedGtids).orElse("");
        return executed.union(MysqlGtidSet.parse(retrieved));
    }

    @Override
    public boolean semiSyncWaitPoint() {
        return version.atLeast(5, 7, 2);
    }

    @Override
    public boolean semiSyncWaitCount() {
        return version.atLeast(5, 7, 3);
    }

    @Override
    public boolean setPersist() {
        return version.atLeast(8, 0, 0);
    }

    @Override
    public List<String> restartIoThread() {
        String r = sourceNaming() ? "REPLICA" : "SLAVE";
        return List.of("STOP " + r + " IO_THREAD", "START " + r + " IO_THREAD");
    }

    @Override
    public String stopReplica() {
        return sourceNaming() ? "STOP REPLICA" : "STOP SLAVE";
    }

    @Override
    public String startReplica() {
        return sourceNaming() ? "START REPLICA" : "START SLAVE";
    }

    @Override
    public String heartbeatPeriodOption(double seconds) {
        return (version.atLeast(8, 0, 23) ? "SOURCE_" : "MASTER_") + "HEARTBEAT_PERIOD=" + seconds;
    }

    @Override
    public String setHeartbeatPeriod(double seconds) {
        return (version.atLeast(8, 0, 23) ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ") + heartbeatPeriodOption(seconds);
    }

    @Override
    public Optional<Heartbeat> heartbeat(Connection c) throws SQLException {
        if (!version.atLeast(5, 7, 0)) return Dialect.super.heartbeat(c);
        List<Map<String, String>> rows = Db.query(c, "SELECT c.HEARTBEAT_INTERVAL AS period, s.COUNT_RECEIVED_HEARTBEATS AS received"
                + " FROM performance_schema.replication_connection_configuration c"
                + " JOIN performance_schema.replication_connection_status s ON s.CHANNEL_NAME = c.CHANNEL_NAME WHERE c.CHANNEL_NAME = ''");
        if (rows.isEmpty()) return Optional.empty();
        return Optional.of(new Heartbeat(Double.parseDouble(rows.getFirst().get("period")), Long.parseLong(rows.getFirst().get("received"))));
    }

    @Override
    public Optional<String> alignReplicaPosition() {
        return Optional.empty();
    }

    @Override
    public GtidSet ownTransactions(ServerSnapshot s) {
        MysqlGtidSet executed = (MysqlGtidSet) s.gtid().executed();
        String uuid = s.serverUuid().orElse("").toLowerCase();
        StringBuilder sb = new StringBuilder();
        executed.sources().forEach((key, ranges) -> {
            if (!uuid.isEmpty() && key.startsWith(uuid)) {
                String tag = key.length() > uuid.length() ? key.substring(uuid.length()) : "";
                sb.append(sb.isEmpty() ? "" : ",").append(uuid).append(tag);
                ranges.forEach(r -> sb.append(':').append(r));
            }
        });
        return MysqlGtidSet.parse(sb.toString());
    }

    @Override
    public String enableGtidPositioning() {
        return sourceNaming() ? "CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1" : "CHANGE MASTER TO MASTER_AUTO_POSITION=1";
    }

    @Override
    public String errantTransactionsFix(String server) {
        return "if unwanted, inject an empty transaction for each GTID on the master (SET GTID_NEXT='<gtid>'; BEGIN; COMMIT;) "
                + "or rebuild the replica; if they must be kept, apply the same changes on the master";
    }

    @Override
    public String replicationClientPrivilege() {
        return "REPLICATION CLIENT";
    }

    @Override
    public String resetReplicaAll() {
        return sourceNaming() ? "RESET REPLICA ALL" : "RESET SLAVE ALL";
    }

    @Override
    public String changeMaster(String host, int port, String user, String password) {
        boolean source = version.atLeast(8, 0, 23);
        String p = source ? "SOURCE_" : "MASTER_";
        return (source ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ") + p + "HOST=" + Dialect.quote(host) + ", "
                + p + "PORT=" + port + ", " + p + "USER=" + Dialect.quote(user)
                + (password == null ? "" : ", " + p + "PASSWORD=" + Dialect.quote(password))
                + ", " + p + "AUTO_POSITION=1" + (source ? ", " + p + "CONNECT_RETRY=1" : ", MASTER_CONNECT_RETRY=1");
    }

    @Override
    public String waitForPosition(BinlogPosition at, int timeoutSeconds) {
        return version.atLeast(8, 0, 26) ? "SELECT SOURCE_POS_WAIT(" + Dialect.quote(at.file()) + ", " + at.position() + ", " + timeoutSeconds + ")"
                : Dialect.super.waitForPosition(at, timeoutSeconds);
    }

    @Override
    public String changeMasterToPosition(String host, int port, String user, String password, BinlogPosition at) {
        String p = version.atLeast(8, 0, 23) ? "SOURCE_" : "MASTER_";
        return changeMaster(host, port, user, password).replace(p + "AUTO_POSITION=1", p + "AUTO_POSITION=0, " + p + "LOG_FILE="
                + Dialect.quote(at.file()) + ", " + p + "LOG_POS=" + at.position());
    }

    /** WAIT_FOR_EXECUTED_GTID_SET arrived in 5.7.5; a real 5.6 server refuses it ("FUNCTION ... does not exist"). */
    @Override
    public String waitForGtids(String gtids, int timeoutSeconds) {
        return version.atLeast(5, 7, 5)
                ? "SELECT WAIT_FOR_EXECUTED_GTID_SET(" + Dialect.quote(gtids) + ", " + timeoutSeconds + ")"
                : "SELECT WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS(" + Dialect.quote(gtids) + ", " + timeoutSeconds + ")";
    }

    /** 5.7.5+: 0 done, 1 timeout. 5.6: events waited for (0 or more) done, -1 timeout, NULL when the SQL thread is not running. */
    @Override
    public boolean gtidWaitSucceeded(String result) {
        if (version.atLeast(5, 7, 5)) return "0".equals(result);
        return result != null && !result.startsWith("-");
    }

    @Override
    public String appliedGtids(ServerSnapshot s) {
        return s.gtid().executed().toString();
    }

    /** Whatever plugin is loaded decides; with none loaded, the one this version ships as preferred. */
    @Override
    public String heldGtidsVariable() {
        return "gtid_executed";
    }

    @Override
    public SemiSyncNames semiSyncNames(Map<String, String> variables) {
        if (variables.containsKey("rpl_semi_sync_source_enabled") || variables.containsKey("rpl_semi_sync_replica_enabled")) {
            return SemiSyncNames.SOURCE_REPLICA;
        }
        if (variables.containsKey("rpl_semi_sync_master_enabled") || variables.containsKey("rpl_semi_sync_slave_enabled")) {
            return SemiSyncNames.CLASSIC;
        }
        return version.atLeast(8, 0, 26) ? SemiSyncNames.SOURCE_REPLICA : SemiSyncNames.CLASSIC;
    }

    @Override
    public boolean logSlaveUpdates(Map<String, String> variables) {
        String v = variables.containsKey("log_replica_updates") ? variables.get("log_replica_updates")
                : variables.get("log_slave_updates");
        return on(v);
    }

    @Override
    public Optional<Boolean> superReadOnly(Map<String, String> variables) {
        return Optional.ofNullable(variables.get("super_read_only")).map(Dialect.Values::on);
    }
}
