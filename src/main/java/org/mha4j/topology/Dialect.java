package org.mha4j.topology;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every difference between server flavours and versions lives behind this interface, so that no other code asks
 * "is this MariaDB?". Methods turn the statements' raw rows (column name to text) into flavour-neutral records;
 * that keeps them testable with recorded outputs and no server.
 */
public sealed interface Dialect permits MariadbDialect, MysqlDialect {

    static Dialect of(ServerVersion version) {
        return version.flavor() == Flavor.MARIADB ? new MariadbDialect(version) : new MysqlDialect(version);
    }

    /** The dialect of the server at the other end of {@code c}, from its version and version_comment. */
    static Dialect of(java.sql.Connection c) throws java.sql.SQLException {
        java.util.Map<String, String> v = Db.nameValue(c, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version', 'version_comment')");
        return of(ServerVersion.parse(v.get("version"), v.get("version_comment")));
    }

    ServerVersion version();

    /** {@code SHOW SLAVE STATUS} or {@code SHOW REPLICA STATUS}. */
    String showReplicaStatus();

    /** {@code SHOW MASTER STATUS} or, where that was removed, {@code SHOW BINARY LOG STATUS}. */
    String showBinlogStatus();

    /** Builds the replica state from one row of {@link #showReplicaStatus()}; empty for a server that is no replica. */
    Optional<ReplicaStatus> replicaStatus(Map<String, String> row);

    /** The replica state of the server at the other end of {@code c}; empty when it is no replica. */
    default Optional<ReplicaStatus> replicaStatusOf(java.sql.Connection c) throws java.sql.SQLException {
        List<Map<String, String>> rows = Db.query(c, showReplicaStatus());
        return rows.isEmpty() ? Optional.empty() : replicaStatus(rows.getFirst());
    }

    /** What the monitor asks a replica with every check: its replication status and heartbeat count. */
    record ReplicaSample(Optional<ReplicaStatus> status, Optional<Heartbeat> heartbeat) {}

    /**
     * A replica's status and heartbeats (the heartbeat empty when this server cannot tell them: a missing privilege,
     * performance_schema off); two queries, MariaDB one ({@link MariadbDialect#sampleReplica}).
     */
    default ReplicaSample sampleReplica(java.sql.Connection c) throws java.sql.SQLException {
        Optional<ReplicaStatus> status = replicaStatusOf(c);
        Optional<Heartbeat> hb;
        try {
            hb = heartbeat(c);
        } catch (java.sql.SQLException e) {
            hb = Optional.empty();
        }
        return new ReplicaSample(status, hb);
    }

    /**
     * The replication filters this server applies as a replica, also when it replicates from nothing now (an old
     * master about to become a replica of the new one). On MySQL before 8.0 a server that is no replica shows them only
     * in SHOW SLAVE STATUS, so a placeholder master is set and removed again, as MHA does.
     */
    ReplicationFilters configuredFilters(java.sql.Connection c) throws java.sql.SQLException;

    /** The replica's heartbeat (its period and count); empty when this server replicates from nothing. */
    default Optional<Heartbeat> heartbeat(java.sql.Connection c) throws java.sql.SQLException {
        // MariaDB and MySQL up to 5.6 keep them as status variables; MySQL 5.7+ in performance_schema (MysqlDialect)
        Map<String, String> s = Db.nameValue(c, "SHOW GLOBAL STATUS LIKE 'Slave\\_%heartbeat%'");
        String period = s.get("slave_heartbeat_period");
        String received = s.get("slave_received_heartbeats");
        if (period == null || received == null) return Optional.empty();
        return Optional.of(new Heartbeat(Double.parseDouble(period), Long.parseLong(received)));
    }

    /** The heartbeat period as a CHANGE MASTER option: MASTER_HEARTBEAT_PERIOD=1.0 (SOURCE_ on MySQL 8.0.23+). */
    String heartbeatPeriodOption(double seconds);

    /** Sets how often the master sends a heartbeat to this replica; replication must be stopped (MariaDB, MySQL < 8.0). */
    String setHeartbeatPeriod(double seconds);

    /**
     * A CHANGE MASTER statement of this dialect that also sets the heartbeat period: a new master clears it back to
     * the server's default (half of slave_net_timeout), and setting it apart would restart replication once more.
     */
    default String withHeartbeatPeriod(String changeMaster, double seconds) {
        return changeMaster + ", " + heartbeatPeriodOption(seconds);
    }

    /** The GTID configuration from the global variables. */
    GtidState gtidState(Map<String, String> variables, Optional<ReplicaStatus> replica);

    /** The transactions a replica has received from its master (received, not applied: that ranks replicas). */
    GtidSet receivedGtids(ServerSnapshot replica);

    boolean logSlaveUpdates(Map<String, String> variables);

    Optional<Boolean> superReadOnly(Map<String, String> variables);

    /** {@code rpl_semi_sync_master_wait_point} exists (MySQL 5.7.2+, MariaDB 10.3.3+): AFTER_SYNC makes semi-sync lossless. */
    boolean semiSyncWaitPoint();

    /** {@code rpl_semi_sync_master_wait_for_slave_count} exists (MySQL 5.7.3+; MariaDB has no such variable). */
    boolean semiSyncWaitCount();

    /** {@code SET PERSIST} exists (MySQL 8.0+): settings survive a restart without editing my.cnf. */
    boolean setPersist();

    /** Restarts only the receiver thread, so the replica re-registers with the master (as a semi-sync client). */
    List<String> restartIoThread();

    String stopReplica();

    String startReplica();

    String resetReplicaAll();

    /** Starts only the applier thread (its relay log is applied, nothing new is received). */
    default String startSqlThread() {
        return startReplica() + " SQL_THREAD";
    }

    /**
     * After events were applied to this server directly (a saved binlog piped into the client), not by its SQL thread:
     * what makes its replication position agree with its binlog again, so that a later re-pointing by GTID does not
     * fetch those transactions a second time. MariaDB keeps the two apart ({@code gtid_slave_pos}); MySQL has one set.
     */
    Optional<String> alignReplicaPosition();

    /** The applier's state text (Slave_SQL_Running_State or Replica_SQL_Running_State); empty when the row has none. */
    default String sqlThreadState(Map<String, String> replicaStatusRow) {
        return Optional.ofNullable(replicaStatusRow.get("Slave_SQL_Running_State"))
                .orElse(replicaStatusRow.getOrDefault("Replica_SQL_Running_State", ""));
    }

    /** Transactions that originated on this server itself: MariaDB GTIDs with its server_id, MySQL GTIDs with its uuid. */
    GtidSet ownTransactions(ServerSnapshot s);

    /** The statement that turns on GTID auto-positioning on a replica, for a fix an operator runs. */
    String enableGtidPositioning();

    /** What an operator can do about transactions {@code server} holds and its master does not. */
    String errantTransactionsFix(String server);

    /** The name of the privilege that lets a user read replication status, as this flavour spells it. */
    String replicationClientPrivilege();

    /**
     * Points this server at a new master with GTID auto-positioning (MariaDB {@code MASTER_USE_GTID=slave_pos}, MySQL
     * {@code MASTER_AUTO_POSITION=1}, 8.0.23+ {@code CHANGE REPLICATION SOURCE TO}). The password is inside the
     * statement: log {@code changeMaster(..., "******")} instead.
     */
    String changeMaster(String host, int port, String user, String password);

    /**
     * Points this server at a new master by file and position, for replication without GTID (MariaDB
     * {@code MASTER_USE_GTID=no}, MySQL {@code MASTER_AUTO_POSITION=0}). The password is inside the statement.
     */
    String changeMasterToPosition(String host, int port, String user, String password, BinlogPosition at);

    /** Waits until the SQL thread executed up to a master position: MASTER_POS_WAIT, SOURCE_POS_WAIT on MySQL 8.0.26+. */
    default String waitForPosition(BinlogPosition at, int timeoutSeconds) {
        return "SELECT MASTER_POS_WAIT(" + quote(at.file()) + ", " + at.position() + ", " + timeoutSeconds + ")";
    }

    /**
     * Points a former master at the new master: it has no replication position of its own, so it continues from
     * what its binary log holds (MariaDB {@code MASTER_USE_GTID=current_pos}; MySQL's auto-position does that anyway).
     */
    default String changeMasterForFormerMaster(String host, int port, String user, String password) {
        return changeMaster(host, port, user, password);
    }

    /** Threads of other clients, to end before a switch: id, user, command, seconds, state, statement. */
    default String processList() {
        return "SELECT ID, USER, COMMAND, TIME, STATE, INFO FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()";
    }

    /**
     * Stops every client write: {@code super_read_only=1} where the server has it (it implies read_only and also holds
     * off accounts with SUPER), else {@code read_only=1}.
     */
    default String stopWrites(Map<String, String> variables) {
        return superReadOnly(variables).isPresent() ? "SET GLOBAL super_read_only=1" : "SET GLOBAL read_only=1";
    }

    /** Server threads and replication threads in {@link #processList()}'s COMMAND or USER: never ended by a fence. */
    default boolean isServerThread(Map<String, String> processListRow) {
        String command = Objects.toString(processListRow.get("COMMAND"), "");
        String user = Objects.toString(processListRow.get("USER"), "");
        return command.startsWith("Binlog Dump") || command.equals("Daemon") || command.startsWith("Slave_")
                || command.startsWith("Replica_") || user.equals("system user") || user.equals("event_scheduler");
    }

    /**
     * The variable listing every transaction in this server's binlog, its own and (with log_slave_updates) replicated
     * ones: MariaDB {@code gtid_binlog_state}, MySQL {@code gtid_executed}. A server holding a set there needs no wait
     * for it: MariaDB's MASTER_GTID_WAIT only looks at gtid_slave_pos, so it waits for ever for a server's own transactions.
     */
    String heldGtidsVariable();

    /** The transactions in the binlog of the server at the other end of {@code c} ({@link #heldGtidsVariable()}). */
    default GtidSet heldGtids(java.sql.Connection c) throws java.sql.SQLException {
        return GtidSet.parse(version().flavor(), Db.query(c, "SELECT @@GLOBAL." + heldGtidsVariable() + " AS g").getFirst().get("g"));
    }

    /**
     * A {@link #processList()} row of a commit waiting for its semi-sync acknowledgement ("Waiting for semi-sync ACK from
     * slave", "... from replica" on MySQL 8.0.26+): the leader of a group commit.
     */
    default boolean waitsForSemiSyncAck(Map<String, String> processListRow) {
        return Objects.toString(processListRow.get("STATE"), "").startsWith("Waiting for semi-sync ACK");
    }

    /** A statement returning 0 once this server applied {@code gtids}, -1 (MariaDB) or 1 (MySQL) on timeout. */
    String waitForGtids(String gtids, int timeoutSeconds);

    /** True when {@link #waitForGtids} returned success. */
    default boolean gtidWaitSucceeded(String result) {
        return "0".equals(result);
    }

    /** What another server must have applied to hold everything this one applied from its master. */
    String appliedGtids(ServerSnapshot s);

    /** Which semi-sync names this server uses, given what its variables show is loaded. */
    SemiSyncNames semiSyncNames(Map<String, String> variables);

    /** Semi-sync state from the global variables and {@code SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'} (names lower-cased). */
    default SemiSyncState semiSync(Map<String, String> variables, Map<String, String> status) {
        SemiSyncNames n = semiSyncNames(variables);
        String masterVar = n.masterVar("enabled");
        String replicaVar = n.replicaVar("enabled");
        if (!variables.containsKey(masterVar) && !variables.containsKey(replicaVar)) return SemiSyncState.unavailable(n);
        return new SemiSyncState(true, n,
                Values.on(variables.get(masterVar)),
                Values.on(variables.get(replicaVar)),
                Optional.ofNullable(status.get(n.masterVar("status"))).map(Values::on),
                Optional.ofNullable(status.get(n.replicaVar("status"))).map(Values::on),
                Values.number(status.get(n.masterVar("clients"))),
                Values.number(status.get(n.masterVar("yes_tx"))),
                Values.number(status.get(n.masterVar("no_tx"))),
                Values.number(status.get(n.masterVar("tx_avg_wait_time"))),
                Values.number(variables.get(n.masterVar("timeout"))),
                Optional.ofNullable(variables.get(n.masterVar("wait_point"))),
                Values.number(variables.get(n.masterVar("wait_for_" + n.replica() + "_count"))));
    }

    /** Global variables the inspector reads in one statement; names a server lacks are simply absent. */
    List<String> VARIABLES = List.of(
            "server_id", "server_uuid", "log_bin", "log_slave_updates", "log_replica_updates", "read_only",
            "super_read_only", "binlog_format", "gtid_mode", "enforce_gtid_consistency", "gtid_executed",
            "gtid_binlog_state", "gtid_binlog_pos", "gtid_current_pos", "gtid_slave_pos", "gtid_strict_mode",
            "relay_log_purge", "version", "version_comment", "plugin_dir", "slave_net_timeout", "replica_net_timeout",
            "rpl_semi_sync_master_enabled", "rpl_semi_sync_slave_enabled", "rpl_semi_sync_master_timeout",
            "rpl_semi_sync_master_wait_point", "rpl_semi_sync_master_wait_for_slave_count",
            "rpl_semi_sync_source_enabled", "rpl_semi_sync_replica_enabled", "rpl_semi_sync_source_timeout",
            "rpl_semi_sync_source_wait_point", "rpl_semi_sync_source_wait_for_replica_count");

    /** A SQL string literal. */
    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Small parsers shared by both dialects. */
    final class Values {
        private Values() {}

        static boolean on(String v) {
            return v != null && (v.equalsIgnoreCase("ON") || v.equals("1") || v.equalsIgnoreCase("YES"));
        }

        static OptionalLong number(String v) {
            if (v == null || v.isBlank()) return OptionalLong.empty();
            try {
                return OptionalLong.of(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }

        static long longOr(String v, long dflt) {
            return number(v).orElse(dflt);
        }

        static int intOr(String v, int dflt) {
            return (int) number(v).orElse(dflt);
        }

        static String str(Map<String, String> row, String key) {
            String v = row.get(key);
            return v == null ? "" : v;
        }
    }
}
