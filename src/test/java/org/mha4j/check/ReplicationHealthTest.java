package org.mha4j.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.check.Finding.Severity;
import org.mha4j.config.AppConfig;
import org.mha4j.topology.ConnectFailure;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ReplicationFilters;
import org.junit.jupiter.api.Test;
import org.mha4j.testing.Snapshots;

class ReplicationHealthTest {

    private final AppConfig app = Snapshots.threeServers(null);
    private final List<Snapshots.S> servers = Snapshots.healthy(app);

    private static Map<String, ReplUserGrants> grantsOk() {
        ReplUserGrants ok = new ReplUserGrants("repl", List.of(new ReplUserGrants.HostGrant("%", true, true)), Optional.empty());
        return Map.of("server1", ok, "server2", ok, "server3", ok);
    }

    private CheckReport check() {
        return check(CheckOptions.DEFAULTS);
    }

    private CheckReport check(CheckOptions o) {
        return ReplicationHealth.evaluate(Snapshots.topology(app, servers), grantsOk(), o);
    }

    private static List<String> errors(CheckReport r) {
        return r.errors().stream().map(Finding::text).toList();
    }

    @Test
    void aHealthyClusterIsOkAndResolvesTheMaster() {
        CheckReport r = check();
        assertThat(errors(r)).isEmpty();
        assertThat(r.healthy()).isTrue();
        MasterResolution.Resolved res = (MasterResolution.Resolved) r.resolution();
        assertThat(res.master().block()).isEqualTo("server1");
        assertThat(res.replicas()).extracting(s -> s.config().block()).containsExactly("server2", "server3");
    }

    @Test
    void aWritableReplicaIsAnErrorNamingIt() {
        servers.get(2).readOnly = false;
        assertThat(errors(check())).singleElement().asString()
                .startsWith("server3 (10.0.0.3:3306): read_only is OFF").contains("SET GLOBAL read_only=1");
    }

    @Test
    void duplicateServerIdsNameBothServers() {
        servers.get(2).serverId = 20;
        assertThat(errors(check())).singleElement().asString()
                .contains("server_id=20").contains("server2 (10.0.0.2:3306)").contains("server3 (10.0.0.3:3306)");
    }

    @Test
    void stoppedThreadsQuoteTheServersError() {
        Snapshots.S s = servers.get(1);
        s.sql = false;
        s.sqlErrno = 1062;
        s.sqlError = "Duplicate entry '7' for key 'PRIMARY'";
        s.lag = null;
        assertThat(errors(check())).singleElement().asString()
                .startsWith("server2").contains("SQL thread is not running").contains("Last_SQL_Errno=1062")
                .contains("Duplicate entry '7'");
        s.io = ReplicaStatus.ThreadState.CONNECTING;
        s.ioErrno = 1045;
        s.ioError = "error connecting to master 'repl@10.0.0.1:3306'";
        assertThat(errors(check())).anySatisfy(e -> assertThat(e).contains("IO thread is still connecting").contains("Last_IO_Errno=1045"));
    }

    @Test
    void lagAboveTheLimitIsAnError() {
        servers.get(1).lag = 31L;
        assertThat(errors(check())).singleElement().asString().contains("behind 31 seconds");
        assertThat(check(new CheckOptions(60, false, 2)).healthy()).isTrue();
    }

    @Test
    void tooFewReplicas() {
        AppConfig two = Snapshots.config("[server default]\nuser=mha\n[server1]\nhostname=10.0.0.1\n[server2]\nhostname=10.0.0.2\n");
        List<Snapshots.S> s = Snapshots.healthy(two);
        CheckReport seed = ReplicationHealth.evaluate(Snapshots.topology(two, s), Map.of(), new CheckOptions(30, false, 2));
        assertThat(errors(seed)).singleElement().asString().contains("only 1 alive replica").contains("--min_replicas=1");
        // MHA's rule, the default: one replica is enough, with a warning that none is left after a failover
        CheckReport mha = ReplicationHealth.evaluate(Snapshots.topology(two, s), Map.of(), CheckOptions.DEFAULTS);
        assertThat(mha.healthy()).isTrue();
        assertThat(mha.findings()).anySatisfy(f -> assertThat(f.text()).contains("only one alive replica").contains("--min_replicas=2"));
    }

    /** Issue 20: a clock off by more than 1 s is a warning, by more than max_clock_skew an error, net of the round trip. */
    @Test
    void clocksAreComparedNetOfTheReadingsUncertainty() {
        servers.get(1).clock = new org.mha4j.topology.ClockReading(1_400, 600);   // 1.4 s off, but only 1.1 s proven
        servers.get(2).clock = new org.mha4j.topology.ClockReading(-1_400, 1_000); // 0.9 s proven: nothing to say
        assertThat(check().findings()).filteredOn(f -> f.check().equals("clock")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.text()).startsWith("server2").contains("1400 ms ahead of the manager's");
        });
        servers.get(0).clock = new org.mha4j.topology.ClockReading(-11_000, 2);
        CheckReport r = check();
        assertThat(r.healthy()).isFalse();
        assertThat(r.findings()).filteredOn(f -> f.severity() == Finding.Severity.ERROR && f.check().equals("clock")).singleElement()
                .satisfies(f -> assertThat(f.text()).startsWith("server1").contains("11000 ms behind").contains("max_clock_skew=10 s"));
        servers.get(0).clock = null;  // a server whose clock could not be read: nothing is said of it
        assertThat(check().findings()).filteredOn(f -> f.check().equals("clock")).hasSize(1);
    }

    /** A hung master is told from a quiet one by heartbeats: the check says what the manager sets, or warns without it. */
    @Test
    void theHeartbeatFindingSaysWhatTheManagerSetsOrWarnsUnderMhasRule() {
        servers.get(1).variables = Map.of("slave_net_timeout", "60");
        assertThat(check().findings()).anySatisfy(f -> {
            assertThat(f.check()).isEqualTo("heartbeat");
            assertThat(f.severity()).isEqualTo(Finding.Severity.INFO);
            assertThat(f.text()).startsWith("server2").contains("slave_net_timeout=60").contains("MASTER_HEARTBEAT_PERIOD=0.5");
        });
        AppConfig mha = Snapshots.threeServers("detection=mha");
        List<Snapshots.S> s = Snapshots.healthy(mha);
        s.get(1).variables = Map.of("slave_net_timeout", "60");
        CheckReport r = ReplicationHealth.evaluate(Snapshots.topology(mha, s), grantsOk(), CheckOptions.DEFAULTS);
        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.check()).isEqualTo("heartbeat");
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.text()).startsWith("server2").contains("says Yes for up to 60 s").contains("detection=fast");
        });
    }

    @Test
    void logBinAndLogSlaveUpdates() {
        AppConfig cand = Snapshots.threeServers("candidate_master=1");
        List<Snapshots.S> s = Snapshots.healthy(cand);
        s.get(1).logBin = false;
        s.get(2).logSlaveUpdates = false;
        List<String> e = errors(ReplicationHealth.evaluate(Snapshots.topology(cand, s), grantsOk(), CheckOptions.DEFAULTS));
        assertThat(e).hasSize(2);
        assertThat(e.get(0)).startsWith("server2").contains("log-bin is off, but candidate_master=1");
        assertThat(e.get(1)).startsWith("server3").contains("log_slave_updates is OFF");
    }

    @Test
    void aReplicaWithoutLogBinIsOnlyAWarningUnlessItIsACandidate() {
        servers.get(1).logBin = false;
        CheckReport r = check();
        assertThat(r.healthy()).isTrue();
        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.text()).contains("cannot become master");
        });
    }

    @Test
    void noReplicaCanBeMaster() {
        servers.get(1).logBin = false;
        servers.get(2).logBin = false;
        assertThat(errors(check())).singleElement().asString().contains("none of the replicas can be master");
    }

    @Test
    void differingFiltersAreAnError() {
        servers.get(2).filters = new ReplicationFilters("", "junk", "", "", "", "");
        assertThat(errors(check())).singleElement().asString()
                .contains("bad replication filters").contains("server3 (10.0.0.3:3306) has Replicate_Ignore_DB=junk");
    }

    @Test
    void mixedGtidModes() {
        servers.get(2).usingGtid = "No";
        assertThat(errors(check())).singleElement().asString()
                .contains("mixed replication modes").contains("server3 (10.0.0.3:3306) uses file/position")
                .contains("MASTER_USE_GTID=slave_pos");
    }

    @Test
    void withoutGtidAReplicaThatPurgesItsRelayLogsIsWarnedAbout() {
        servers.get(1).usingGtid = "No";
        servers.get(2).usingGtid = "No";
        servers.get(1).variables = Map.of("relay_log_purge", "OFF");
        servers.get(2).variables = Map.of("relay_log_purge", "ON");
        CheckReport r = check();
        assertThat(errors(r)).isEmpty();
        assertThat(r.findings()).filteredOn(x -> x.severity() == Finding.Severity.WARNING && x.check().equals("relay_log_purge"))
                .singleElement().asString().contains("server3").contains("purge_relay_logs");
        assertThat(r.findings()).anySatisfy(x -> assertThat(x.message()).contains("recovers by binlog file and position"));
    }

    @Test
    void errantTransactionsNameTheGtids() {
        servers.get(2).executed = "0-10-100,0-30-101";
        assertThat(errors(check())).singleElement().asString()
                .startsWith("server3").contains("errant GTIDs: 0-30-101");
    }

    @Test
    void mysqlErrantTransactionsAreTheReplicasExtraUuidRanges() {
        org.mha4j.topology.ServerVersion mysql = org.mha4j.topology.ServerVersion.parse("8.0.36", "MySQL Community Server - GPL");
        String master = "73f86016-978b-11ee-ade5-8d2a2a562feb";
        String replica2 = "a6f2c1d0-978b-11ee-b0b1-0242ac110003";
        servers.forEach(s -> {
            s.version = mysql;
            s.usingGtid = "AUTO_POSITION";
            s.executed = master + ":1-100";
        });
        servers.get(1).executed = master + ":1-90," + replica2 + ":1-2";
        assertThat(errors(check())).singleElement().asString()
                .startsWith("server2").contains("errant GTIDs: " + replica2 + ":1-2").contains("SET GTID_NEXT");
    }

    @Test
    void aLaggingReplicaIsNotErrant() {
        servers.get(2).executed = "0-10-90";
        assertThat(check().healthy()).isTrue();
    }

    @Test
    void replicationUserMissingOrWithoutPrivilege() {
        ReplUserGrants ok = grantsOk().get("server1");
        ReplUserGrants missing = new ReplUserGrants("repl", List.of(), Optional.empty());
        ReplUserGrants noSlave = new ReplUserGrants("repl", List.of(new ReplUserGrants.HostGrant("%", false, true)), Optional.empty());
        ReplUserGrants noClient = new ReplUserGrants("repl", List.of(new ReplUserGrants.HostGrant("%", true, false)), Optional.empty());
        CheckReport r = ReplicationHealth.evaluate(Snapshots.topology(app, servers),
                Map.of("server1", ok, "server2", missing, "server3", noSlave), CheckOptions.DEFAULTS);
        assertThat(errors(r)).hasSize(2);
        assertThat(errors(r).get(0)).startsWith("server2").contains("'repl' does not exist");
        assertThat(errors(r).get(1)).startsWith("server3").contains("lacks the REPLICATION SLAVE privilege");
        CheckReport w = ReplicationHealth.evaluate(Snapshots.topology(app, servers),
                Map.of("server1", ok, "server2", ok, "server3", noClient), CheckOptions.DEFAULTS);
        assertThat(w.healthy()).isTrue();
        assertThat(w.findings()).anySatisfy(f -> assertThat(f.text()).startsWith("server3").contains("lacks REPLICATION CLIENT"));
    }

    @Test
    void aNoMasterReplicaNeedsNoReplicationAccount() {
        AppConfig noMaster = Snapshots.config("[server default]\nuser=mha\n[server1]\nhostname=10.0.0.1\n"
                + "[server2]\nhostname=10.0.0.2\n[server3]\nhostname=10.0.0.3\nno_master=1\n");
        List<Snapshots.S> s = Snapshots.healthy(noMaster);
        ReplUserGrants ok = grantsOk().get("server1");
        CheckReport r = ReplicationHealth.evaluate(Snapshots.topology(noMaster, s),
                Map.of("server1", ok, "server2", ok, "server3", new ReplUserGrants("repl", List.of(), Optional.empty())),
                CheckOptions.DEFAULTS);
        assertThat(r.healthy()).isTrue();
    }

    @Test
    void unreachableServerPointsAtTheConfigLine() {
        ConnectFailure refused = new ConnectFailure(ConnectFailure.Kind.REFUSED, 0, "Connection refused");
        CheckReport r = ReplicationHealth.evaluate(Snapshots.withUnreachable(app, servers, 2, refused), grantsOk(),
                new CheckOptions(30, false, 1));
        assertThat(errors(r)).singleElement().asString()
                .startsWith("server3 (10.0.0.3:3306): the server is not reachable: connection refused")
                .contains("app1.conf:" + app.servers().get(2).line() + " ([server3])");
    }

    @Test
    void ignoreFailTurnsADeadReplicaIntoAWarning() {
        AppConfig ign = Snapshots.threeServers("ignore_fail=1");
        List<Snapshots.S> s = Snapshots.healthy(ign);
        ConnectFailure refused = new ConnectFailure(ConnectFailure.Kind.REFUSED, 0, "Connection refused");
        assertThat(ReplicationHealth.evaluate(Snapshots.withUnreachable(ign, s, 2, refused), grantsOk(),
                new CheckOptions(30, false, 1)).healthy()).isFalse();
        assertThat(ReplicationHealth.evaluate(Snapshots.withUnreachable(ign, s, 2, refused), grantsOk(),
                new CheckOptions(30, true, 1)).healthy()).isTrue();
    }

    @Test
    void accessDeniedIsReportedAsAConfigProblemNotACrash() {
        ConnectFailure denied = new ConnectFailure(ConnectFailure.Kind.ACCESS_DENIED, 1045, "Access denied for user 'mha'@'10.0.0.9'");
        CheckReport r = ReplicationHealth.evaluate(Snapshots.withUnreachable(app, servers, 1, denied), grantsOk(),
                new CheckOptions(30, false, 1));
        assertThat(errors(r)).singleElement().asString().startsWith("server2").contains("refused user 'mha'")
                .contains("not a crash").doesNotContain("s3cret");
    }

    @Test
    void semiSyncMasterSideOnAReplicaIsAWarning() {
        servers.get(1).semiMaster = true;
        CheckReport r = check();
        assertThat(r.healthy()).isTrue();
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.text()).startsWith("server2").contains("semi-sync master side is ON on a replica"));
    }

    /** Issue 15: the manager watches a paused replica (a backup) as MHA's does; a failed one stops it unless ignore_fail. */
    @Test
    void theManagerWarnsOfAPausedReplicaAndRefusesAFailedOneUnlessIgnoreFail() {
        servers.get(1).sql = false;
        servers.get(2).io = ReplicaStatus.ThreadState.NO;
        assertThat(check(CheckOptions.DEFAULTS).healthy()).as("masterha_check_repl").isFalse();
        CheckReport paused = check(CheckOptions.manager(false));
        assertThat(paused.healthy()).isTrue();
        assertThat(paused.findings()).filteredOn(f -> f.severity() == Finding.Severity.WARNING)
                .anySatisfy(f -> assertThat(f.text()).startsWith("server2").contains("paused"))
                .anySatisfy(f -> assertThat(f.text()).startsWith("server3").contains("paused"));

        servers.get(1).sqlErrno = 1062;
        servers.get(1).sqlError = "Duplicate entry '7' for key 'PRIMARY'";
        assertThat(check(CheckOptions.manager(false)).healthy()).isFalse();
        AppConfig ign = Snapshots.threeServers("ignore_fail=1");
        List<Snapshots.S> s = Snapshots.healthy(ign);
        s.get(1).sql = false;
        s.get(1).sqlErrno = 1062;
        assertThat(ReplicationHealth.evaluate(Snapshots.topology(ign, s), grantsOk(), CheckOptions.manager(false)).healthy()).isFalse();
        assertThat(ReplicationHealth.evaluate(Snapshots.topology(ign, s), grantsOk(), CheckOptions.manager(true)).healthy()).isTrue();
    }
}
