package org.mha4j.topology;

import static org.mha4j.topology.Dialect.Values.*;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** MariaDB 10.x / 11.x: {@code SHOW SLAVE STATUS}, domain-server-sequence GTIDs, semi-sync built in since 10.3. */
public record MariadbDialect(ServerVersion version) implements Dialect {

    @Override
    public String showReplicaStatus() {
        return "SHOW SLAVE STATUS";
    }

    @Override
    public String showBinlogStatus() {
        return version.atLeast(10, 5, 2) ? "SHOW BINLOG STATUS" : "SHOW MASTER STATUS";
    }

    @Override
    public Optional<ReplicaStatus> replicaStatus(Map<String, String> row) {
        if (row == null || row.isEmpty()) return Optional.empty();
        return Optional.of(new ReplicaStatus(
                str(row, "Master_Host"),
                intOr(row.get("Master_Port"), 3306),
                str(row, "Master_User"),
                ReplicaStatus.ThreadState.parse(row.get("Slave_IO_Running")),
                "Yes".equalsIgnoreCase(row.get("Slave_SQL_Running")),
                number(row.get("Seconds_Behind_Master")),
                intOr(row.get("Last_IO_Errno"), 0),
                str(row, "Last_IO_Error"),
                intOr(row.get("Last_SQL_Errno"), 0),
                str(row, "Last_SQL_Error"),
                str(row, "Master_Log_File"),
                longOr(row.get("Read_Master_Log_Pos"), 0),
                str(row, "Relay_Master_Log_File"),
                longOr(row.get("Exec_Master_Log_Pos"), 0),
                row.getOrDefault("Using_Gtid", "No"),
                str(row, "Gtid_IO_Pos"),
                Optional.ofNullable(row.get("Gtid_Slave_Pos")),
                new ReplicationFilters(row.get("Replicate_Do_DB"), row.get("Replicate_Ignore_DB"),
                        row.get("Replicate_Do_Table"), row.get("Replicate_Ignore_Table"),
                        row.get("Replicate_Wild_Do_Table"), row.get("Replicate_Wild_Ignore_Table"))));
    }

    /** MariaDB keeps the default connection's filters in global variables, set or not as a replica. */
    @Override
    public ReplicationFilters configuredFilters(java.sql.Connection c) throws java.sql.SQLException {
        Map<String, String> v = Db.nameValue(c, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('replicate_do_db', 'replicate_ignore_db', "
                + "'replicate_do_table', 'replicate_ignore_table', 'replicate_wild_do_table', 'replicate_wild_ignore_table')");
        return new ReplicationFilters(v.get("replicate_do_db"), v.get("replicate_ignore_db"), v.get("replicate_do_table"),
                v.get("replicate_ignore_table"), v.get("replicate_wild_do_table"), v.get("replicate_wild_ignore_table"));
    }

    @Override
    public GtidState gtidState(Map<String, String> variables, Optional<ReplicaStatus> replica) {
        return new GtidState(true, on(variables.get("gtid_strict_mode")) ? "strict" : "non-strict",
                MariadbGtidSet.parse(variables.get("gtid_binlog_state")));
    }

    /**
     * {@code Gtid_IO_Pos} holds one entry per domain: the last GTID received. Whatever the replica holds in its
     * own binary log counts too, since a replica restarted with an empty relay log still has those.
     */
    @Override
    public GtidSet receivedGtids(ServerSnapshot replica) {
        String io = replica.replica().map(ReplicaStatus::receivedGtids).orElse("");
        MariadbGtidSet received = MariadbGtidSet.parse(io);
        MariadbGtidSet executed = (MariadbGtidSet) replica.gtid().executed();
        StringBuilder merged = new StringBuilder(received.toString());
        if (!executed.isEmpty()) {
            if (!merged.isEmpty()) merged.append(',');
            merged.append(executed);
        }
        return MariadbGtidSet.parse(merged.toString());
    }

    @Override
    public boolean semiSyncWaitPoint() {
        return version.atLeast(10, 3, 3);
    }

    @Override
    public boolean semiSyncWaitCount() {
        return false;
    }

    @Override
    public boolean setPersist() {
        return false;
    }

    @Override
    public List<String> restartIoThread() {
        return List.of("STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD");
    }

    @Override
    public String stopReplica() {
        return "STOP SLAVE";
    }

    @Override
    public String startReplica() {
        return "START SLAVE";
    }

    @Override
    public String heartbeatPeriodOption(double seconds) {
        return "MASTER_HEARTBEAT_PERIOD=" + seconds;
    }

    /**
     * One query: SHOW ALL SLAVES STATUS has the default connection's status and its heartbeat counters
     * (Slave_received_heartbeats, Slave_heartbeat_period, the same as the status variables of that name), which halves
     * what the monitor asks each replica every second.
     */
    @Override
    public ReplicaSample sampleReplica(java.sql.Connection c) throws java.sql.SQLException {
        Map<String, String> row = Db.query(c, "SHOW ALL SLAVES STATUS").stream()
                .filter(r -> r.getOrDefault("Connection_name", "").isEmpty()).findFirst().orElse(null);
        if (row == null) return new ReplicaSample(Optional.empty(), Optional.empty());
        String period = row.get("Slave_heartbeat_period");
        String received = row.get("Slave_received_heartbeats");
        Optional<Heartbeat> hb = period == null || received == null ? Optional.empty()
                : Optional.of(new Heartbeat(Double.parseDouble(period), Long.parseLong(received)));
        return new ReplicaSample(replicaStatus(row), hb);
    }

    @Override
    public String setHeartbeatPeriod(double seconds) {
        return "CHANGE MASTER TO " + heartbeatPeriodOption(seconds);
    }

    @Override
    public Optional<String> alignReplicaPosition() {
        return Optional.of("SET GLOBAL gtid_slave_pos=@@gtid_binlog_pos");
    }

    @Override
    public GtidSet ownTransactions(ServerSnapshot s) {
        StringBuilder sb = new StringBuilder();
        ((MariadbGtidSet) s.gtid().executed()).entries().forEach((k, seq) -> {
            if (k.serverId() == s.serverId()) sb.append(sb.isEmpty() ? "" : ",").append(k.domain()).append('-').append(k.serverId()).append('-').append(seq);
        });
        return MariadbGtidSet.parse(sb.toString());
    }

    @Override
    public String enableGtidPositioning() {
        return "CHANGE MASTER TO MASTER_USE_GTID=slave_pos";
    }

    @Override
    public String errantTransactionsFix(String server) {
        return "find them with mariadb-binlog on " + server + "'s binary log; if unwanted, rebuild the replica from the master; "
                + "if they must be kept, apply the same changes on the master and SET GLOBAL gtid_slave_pos on the replica";
    }

    @Override
    public String replicationClientPrivilege() {
        return "REPLICATION CLIENT (BINLOG MONITOR)";
    }

    @Override
    public String resetReplicaAll() {
        return "RESET SLAVE ALL";
    }

    /** slave_pos: the replica continues from what it applied; current_pos would also count its own binlog. */
    @Override
    public String changeMaster(String host, int port, String user, String password) {
        return "CHANGE MASTER TO MASTER_HOST=" + Dialect.quote(host) + ", MASTER_PORT=" + port + ", MASTER_USER="
                + Dialect.quote(user) + (password == null ? "" : ", MASTER_PASSWORD=" + Dialect.quote(password))
                + ", MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1";
    }

    @Override
    public String changeMasterToPosition(String host, int port, String user, String password, BinlogPosition at) {
        return changeMaster(host, port, user, password).replace("MASTER_USE_GTID=slave_pos", "MASTER_LOG_FILE="
                + Dialect.quote(at.file()) + ", MASTER_LOG_POS=" + at.position() + ", MASTER_USE_GTID=no");
    }

    @Override
    public String changeMasterForFormerMaster(String host, int port, String user, String password) {
        return changeMaster(host, port, user, password).replace("MASTER_USE_GTID=slave_pos", "MASTER_USE_GTID=current_pos");
    }

    @Override
    public String waitForGtids(String gtids, int timeoutSeconds) {
        return "SELECT MASTER_GTID_WAIT(" + Dialect.quote(gtids) + ", " + timeoutSeconds + ")";
    }

    /** gtid_binlog_pos holds, per domain, the last transaction in the binlog: with log_slave_updates, all it applied. */
    @Override
    public String appliedGtids(ServerSnapshot s) {
        return s.variables().getOrDefault("gtid_binlog_pos", "");
    }

    @Override
    public String heldGtidsVariable() {
        return "gtid_binlog_state";
    }

    @Override
    public SemiSyncNames semiSyncNames(Map<String, String> variables) {
        return SemiSyncNames.MARIADB;
    }

    @Override
    public boolean logSlaveUpdates(Map<String, String> variables) {
        return on(variables.get("log_slave_updates"));
    }

    @Override
    public Optional<Boolean> superReadOnly(Map<String, String> variables) {
        return Optional.empty();
    }

}
