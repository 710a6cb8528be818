package org.mha4j.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dialect layer against outputs recorded from the MySQL 5.7 / 8.x manuals and a MariaDB 10.11 server. */
class DialectRecordedTest {

    private static Dialect dialect(String version, String comment) {
        return Dialect.of(ServerVersion.parse(version, comment));
    }

    @Test
    void versionsPickTheRightStatements() {
        assertThat(dialect("5.7.31-log", "MySQL Community Server (GPL)").showReplicaStatus()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(dialect("8.0.21", "MySQL Community Server - GPL").showReplicaStatus()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(dialect("8.0.22", "MySQL Community Server - GPL").showReplicaStatus()).isEqualTo("SHOW REPLICA STATUS");
        assertThat(dialect("8.0.36", "MySQL Community Server - GPL").showBinlogStatus()).isEqualTo("SHOW MASTER STATUS");
        assertThat(dialect("8.4.3", "MySQL Community Server - GPL").showBinlogStatus()).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(dialect("10.11.19-MariaDB-0+deb12u1-log", "Debian 12").showReplicaStatus()).isEqualTo("SHOW SLAVE STATUS");
        assertThat(ServerVersion.parse("10.11.19-MariaDB-0+deb12u1-log", "Debian 12").flavor()).isEqualTo(Flavor.MARIADB);
        assertThat(ServerVersion.parse("11.4.5-MariaDB", "MariaDB Server").display()).isEqualTo("MariaDB 11.4.5");
        assertThat(ServerVersion.parse("8.4.3", "MySQL Community Server - GPL").display()).isEqualTo("MySQL 8.4.3");
    }

    @Test
    void mysql84ReplicaStatusWithSourceNames() {
        ReplicaStatus r = dialect("8.4.3", "MySQL Community Server - GPL")
                .replicaStatus(Recorded.verticalRow("mysql-8.4-show-replica-status.txt")).orElseThrow();
        assertThat(r.masterId()).isEqualTo("10.1.1.10:3306");
        assertThat(r.masterUser()).isEqualTo("slave");
        assertThat(r.ioRunning()).isTrue();
        assertThat(r.sqlRunning()).isTrue();
        assertThat(r.secondsBehind()).hasValue(3);
        assertThat(r.masterLogFile()).isEqualTo("binlog.000003");
        assertThat(r.readMasterLogPos()).isEqualTo(4927);
        assertThat(r.execMasterLogPos()).isEqualTo(4711);
        assertThat(r.usesGtid()).isTrue();
        assertThat(r.filters().ignoreDb()).isEqualTo("scratch");
        assertThat(MysqlGtidSet.parse(r.executedGtids().orElseThrow()).toString())
                .isEqualTo("73f86016-978b-11ee-ade5-8d2a2a562feb:1-55,a6f2c1d0-978b-11ee-b0b1-0242ac110003:1-2");
        assertThat(r.receivedGtids()).isEqualTo("73f86016-978b-11ee-ade5-8d2a2a562feb:40-57");
    }

    @Test
    void mysql57ReplicaStatusWithAnIoError() {
        ReplicaStatus r = dialect("5.7.31-log", "MySQL Community Server (GPL)")
                .replicaStatus(Recorded.verticalRow("mysql-5.7-show-slave-status-io-error.txt")).orElseThrow();
        assertThat(r.ioThread()).isEqualTo(ReplicaStatus.ThreadState.CONNECTING);
        assertThat(r.lastIoErrno()).isEqualTo(1045);
        assertThat(r.lastIoError()).startsWith("error connecting to master 'slave@10.1.1.10:3306'");
        assertThat(r.secondsBehind()).isEmpty();
        assertThat(r.usesGtid()).isFalse();
    }

    @Test
    void mariadbReplicaStatus() {
        ReplicaStatus r = dialect("10.11.19-MariaDB-0+deb12u1-log", "Debian 12")
                .replicaStatus(Recorded.verticalRow("mariadb-10.11-show-slave-status.txt")).orElseThrow();
        assertThat(r.masterId()).isEqualTo("127.0.0.1:23306");
        assertThat(r.gtidMode()).isEqualTo("Slave_Pos");
        assertThat(r.usesGtid()).isTrue();
        assertThat(r.receivedGtids()).isEqualTo("0-10-12");
        assertThat(r.secondsBehind()).hasValue(0);
    }

    @Test
    void noRowMeansNotAReplica() {
        assertThat(dialect("8.4.3", "MySQL").replicaStatus(Map.of())).isEmpty();
        assertThat(dialect("10.11.2-MariaDB", "").replicaStatus(null)).isEmpty();
    }

    @Test
    void semiSyncWithTheSourceReplicaPluginNames() {
        Map<String, Map<String, String>> rec = Recorded.variablesAndStatus("mysql-8.0-semisync-source.txt");
        SemiSyncState s = dialect("8.0.36", "MySQL").semiSync(rec.get("variables"), rec.get("status"));
        assertThat(s.available()).isTrue();
        assertThat(s.masterEnabled()).isTrue();
        assertThat(s.replicaEnabled()).isFalse();
        assertThat(s.masterActive()).hasValue(true);
        assertThat(s.clients()).hasValue(2);
        assertThat(s.yesTx()).hasValue(1523);
        assertThat(s.timeoutMs()).hasValue(10000);
        assertThat(s.waitPoint()).hasValue("AFTER_SYNC");
        assertThat(s.waitForReplicaCount()).hasValue(1);
        assertThat(s.avgWaitMicros()).hasValue(512);
        assertThat(s.names().masterLibrary()).isEqualTo("semisync_source.so");
    }

    @Test
    void semiSyncThatFellBackToAsync() {
        Map<String, Map<String, String>> rec = Recorded.variablesAndStatus("mysql-5.7-semisync-master-fell-back.txt");
        SemiSyncState s = dialect("5.7.31-log", "MySQL").semiSync(rec.get("variables"), rec.get("status"));
        assertThat(s.masterEnabled()).isTrue();
        assertThat(s.masterActive()).hasValue(false);
        assertThat(s.noTx()).hasValue(2);
        assertThat(s.describe()).isEqualTo("master side ON (status OFF), replica side OFF, clients 0");
    }

    @Test
    void noSemiSyncPluginLoaded() {
        SemiSyncState none = dialect("8.0.36", "MySQL").semiSync(Map.of("server_id", "1"), Map.of());
        assertThat(none.available()).isFalse();
        assertThat(none.names()).isEqualTo(SemiSyncNames.SOURCE_REPLICA);
        assertThat(dialect("8.0.25", "MySQL").semiSync(Map.of(), Map.of()).names()).isEqualTo(SemiSyncNames.CLASSIC);
        assertThat(dialect("10.11.2-MariaDB", "").semiSyncNames(Map.of()).builtIn()).isTrue();
    }

    @Test
    void gtidAndLogReplicaUpdatesNames() {
        Dialect my = dialect("8.0.36", "MySQL");
        assertThat(my.logSlaveUpdates(Map.of("log_replica_updates", "ON", "log_slave_updates", "OFF"))).isTrue();
        assertThat(my.superReadOnly(Map.of("super_read_only", "ON"))).isEqualTo(Optional.of(true));
        GtidState g = my.gtidState(Map.of("gtid_mode", "ON", "gtid_executed", "73f86016-978b-11ee-ade5-8d2a2a562feb:1-5"), Optional.empty());
        assertThat(g.enabled()).isTrue();
        assertThat(g.executed()).isInstanceOf(MysqlGtidSet.class);
        GtidState m = dialect("10.11.2-MariaDB", "").gtidState(Map.of("gtid_binlog_state", "0-10-5,0-20-3", "gtid_strict_mode", "ON"), Optional.empty());
        assertThat(m.mode()).isEqualTo("strict");
        assertThat(m.executed().toString()).isEqualTo("0-10-5,0-20-3");
    }

    /** Found on a real MySQL 5.6.14: WAIT_FOR_EXECUTED_GTID_SET does not exist before 5.7.5. */
    @Test
    void gtidWaitFunctionAndResultDependOnTheVersion() {
        Dialect my56 = dialect("5.6.14-log", "MySQL Community Server (GPL)");
        assertThat(my56.waitForGtids("uuid:1-5", 30)).isEqualTo("SELECT WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS('uuid:1-5', 30)");
        assertThat(my56.gtidWaitSucceeded("0")).isTrue();
        assertThat(my56.gtidWaitSucceeded("12")).isTrue();
        assertThat(my56.gtidWaitSucceeded("-1")).isFalse();
        assertThat(my56.gtidWaitSucceeded(null)).isFalse();
        Dialect my80 = dialect("8.0.36", "MySQL Community Server - GPL");
        assertThat(my80.waitForGtids("uuid:1-5", 30)).isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET('uuid:1-5', 30)");
        assertThat(my80.gtidWaitSucceeded("1")).isFalse();
        Dialect maria = dialect("10.11.19-MariaDB", "");
        assertThat(maria.waitForGtids("0-10-5", 30)).isEqualTo("SELECT MASTER_GTID_WAIT('0-10-5', 30)");
        assertThat(maria.gtidWaitSucceeded("-1")).isFalse();
    }

    @Test
    void changeMasterByFileAndPositionPerVersion() {
        BinlogPosition at = new BinlogPosition("binlog.000007", 1234);
        assertThat(dialect("10.11.19-MariaDB", "").changeMasterToPosition("10.0.0.2", 3306, "repl", "s3cret", at)).isEqualTo(
                "CHANGE MASTER TO MASTER_HOST='10.0.0.2', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='s3cret',"
                        + " MASTER_LOG_FILE='binlog.000007', MASTER_LOG_POS=1234, MASTER_USE_GTID=no, MASTER_CONNECT_RETRY=1");
        assertThat(dialect("5.7.31-log", "MySQL Community Server (GPL)").changeMasterToPosition("h", 3306, "repl", null, at)).isEqualTo(
                "CHANGE MASTER TO MASTER_HOST='h', MASTER_PORT=3306, MASTER_USER='repl', MASTER_AUTO_POSITION=0,"
                        + " MASTER_LOG_FILE='binlog.000007', MASTER_LOG_POS=1234, MASTER_CONNECT_RETRY=1");
        assertThat(dialect("8.4.3", "MySQL Community Server - GPL").changeMasterToPosition("h", 3306, "repl", null, at)).isEqualTo(
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST='h', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_AUTO_POSITION=0,"
                        + " SOURCE_LOG_FILE='binlog.000007', SOURCE_LOG_POS=1234, SOURCE_CONNECT_RETRY=1");
    }

    @Test
    void binlogPositionsOrderByFileNumberThenOffset() {
        assertThat(new BinlogPosition("binlog.1000000", 4)).isGreaterThan(new BinlogPosition("binlog.999999", 900));
        assertThat(new BinlogPosition("binlog.000002", 10)).isLessThan(new BinlogPosition("binlog.000002", 11));
        assertThat(new BinlogPosition("binlog.000003", 4)).isGreaterThan(new BinlogPosition("binlog.000002", 99999));
    }

    /** MASTER_HEARTBEAT_PERIOD as each version spells it (the reference manuals; MySQL 8.0.23 renamed the statement). */
    @Test
    void heartbeatPeriodStatements() {
        assertThat(dialect("10.11.19-MariaDB-log", "Debian").setHeartbeatPeriod(1.0)).isEqualTo("CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=1.0");
        assertThat(dialect("5.6.14-log", "MySQL Community Server (GPL)").setHeartbeatPeriod(1.0)).isEqualTo("CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=1.0");
        assertThat(dialect("8.0.22", "MySQL Community Server - GPL").setHeartbeatPeriod(1.0)).isEqualTo("CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=1.0");
        assertThat(dialect("8.4.3", "MySQL Community Server - GPL").setHeartbeatPeriod(1.0))
                .isEqualTo("CHANGE REPLICATION SOURCE TO SOURCE_HEARTBEAT_PERIOD=1.0");
        Dialect maria = dialect("10.11.19-MariaDB-log", "Debian");
        assertThat(maria.withHeartbeatPeriod(maria.changeMaster("10.0.0.2", 3306, "repl", "******"), 1.0))
                .isEqualTo("CHANGE MASTER TO MASTER_HOST='10.0.0.2', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='******',"
                        + " MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1.0");
        Dialect mysql84 = dialect("8.4.3", "MySQL Community Server - GPL");
        assertThat(mysql84.withHeartbeatPeriod(mysql84.changeMaster("10.0.0.2", 3306, "repl", null), 1.0))
                .endsWith("SOURCE_AUTO_POSITION=1, SOURCE_CONNECT_RETRY=1, SOURCE_HEARTBEAT_PERIOD=1.0");
    }
}
