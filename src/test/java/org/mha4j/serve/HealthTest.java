package org.mha4j.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mha4j.config.AppConfig;
import org.mha4j.testing.Snapshots;

/**
 * The load balancers' health checks, decided from a hand-built application view: a master passes only when it is the
 * writable master the manager watches and reaches; a replica only when it replicates from that master with both threads
 * running and its lag within the bound.
 */
class HealthTest {

    private static final String AT = "2025-01-01T00:00:00Z";
    private static final DetectorView ALIVE = new DetectorView("MASTER_ALIVE", "the master answers its checks", 0, 3L, AT, null);
    private static final DetectorView FAILING = new DetectorView("PING_FAILING", "1 check(s) of the master unanswered in a row", 1, 3L, AT, null);

    // ---- builders ----

    static ServerView master(String name, String host, int port, Boolean readOnly) {
        return new ServerView(name, host, port, "master", "up", readOnly, null, null, null, null, "0-1-100", "on", 0L, "10.11.19-MariaDB",
                null, AT);
    }

    static ServerView replica(String name, String host, int port, String from, String io, Boolean sql, Long lag) {
        return new ServerView(name, host, port, "replica", "up", true, from, io, sql, lag, "0-1-100", "on", null, "10.11.19-MariaDB", null, AT);
    }

    static ServerView down(String name, String host, int port) {
        return new ServerView(name, host, port, "unknown", "down", null, null, null, null, null, null, null, null, null,
                "Connection refused", AT);
    }

    static AppView app(String master, DetectorView detector, FailoverView failover, ServerView... servers) {
        return new AppView("app1", "/etc/mha/app1.cnf", master == null ? "NOT_RUNNING" : "PING_OK", master, detector, List.of(servers), failover,
                null, List.of(), null);
    }

    /** server1 the watched writable master, server2 and server3 its healthy replicas (2 s and 0 s behind). */
    static AppView healthy() {
        return app("10.0.0.1:3306", ALIVE, null,
                master("server1", "10.0.0.1", 3306, false),
                replica("server2", "10.0.0.2", 3306, "10.0.0.1:3306", "Yes", true, 2L),
                replica("server3", "10.0.0.3", 3306, "10.0.0.1:3306", "Yes", true, 0L));
    }

    /** The same application with server {@code name} replaced. */
    static AppView with(AppView a, ServerView replacement) {
        List<ServerView> servers = new ArrayList<>(a.servers());
        servers.replaceAll(s -> s.name().equals(replacement.name()) ? replacement : s);
        return new AppView(a.name(), a.conf(), a.status(), a.master(), a.detector(), servers, a.failover(), a.lastDetectionMillis(),
                a.needsRejoin(), a.problem());
    }

    // ---- master ----

    @ParameterizedTest(name = "the watched writable master passes when named {0}")
    @ValueSource(strings = {"server1", "10.0.0.1:3306", "10.0.0.1_3306", "10.0.0.1"})
    void theWatchedWritableMasterPasses(String id) {
        Health.Answer a = Health.master(healthy(), id);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.server()).isEqualTo("server1");
        assertThat(a.reason()).isEqualTo("the writable master");
    }

    @Test
    void aMasterWhoseReadOnlyIsUnknownButUpStillPasses() {
        // read_only not read (null): only a master known to be read_only is refused
        AppView a = with(healthy(), master("server1", "10.0.0.1", 3306, null));
        assertThat(Health.master(a, "server1").status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "replica {0} asked as the master fails")
    @ValueSource(strings = {"server2", "10.0.0.2:3306", "10.0.0.3_3306"})
    void aReplicaAskedAsTheMasterFails(String id) {
        Health.Answer a = Health.master(healthy(), id);
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.reason()).contains("not the master").contains("10.0.0.1:3306");
    }

    @Test
    void noMasterWatchedFailsEveryServer() {
        AppView h = healthy();
        AppView a = new AppView(h.name(), h.conf(), "CONFIG_ERROR", null, DetectorView.NOT_STARTED, h.servers(), null, null, List.of(),
                "the manager stopped");
        for (String id : List.of("server1", "server2", "server3")) {
            Health.Answer answer = Health.master(a, id);
            assertThat(answer.status()).as(id).isEqualTo(503);
            assertThat(answer.reason()).contains("watches no master").contains("CONFIG_ERROR");
        }
    }

    @Test
    void aRunningFailoverFailsTheMaster() {
        FailoverView f = new FailoverView("10.0.0.1:3306", AT, 4200, "Phase 3: Master Recovery Phase", List.of());
        AppView a = app("10.0.0.1:3306", ALIVE, f, healthy().servers().toArray(ServerView[]::new));
        Health.Answer answer = Health.master(a, "server1");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.reason()).contains("failover is running");
    }

    @Test
    void anUnansweredLastCheckFailsTheMaster() {
        AppView a = app("10.0.0.1:3306", FAILING, null, healthy().servers().toArray(ServerView[]::new));
        Health.Answer answer = Health.master(a, "10.0.0.1:3306");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.reason()).contains("unanswered");
    }

    @Test
    void aReadOnlyMasterFails() {
        AppView a = with(healthy(), master("server1", "10.0.0.1", 3306, true));
        Health.Answer answer = Health.master(a, "server1");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.reason()).contains("read_only");
    }

    @ParameterizedTest(name = "{0} is not a server of the application")
    @ValueSource(strings = {"server9", "10.0.0.9:3306", "10.0.0.1:3307", "10.0.0.1_3307", "10.0.0.9", ""})
    void anUnknownServerIsNotFound(String id) {
        Health.Answer m = Health.master(healthy(), id);
        Health.Answer r = Health.replica(healthy(), id, 30);
        assertThat(m.status()).isEqualTo(404);
        assertThat(r.status()).isEqualTo(404);
        assertThat(m.server()).isEqualTo(id);
        assertThat(m.reason()).contains("is not a server of app1");
    }

    // ---- replica ----

    @ParameterizedTest(name = "replica named {0} within the lag bound passes")
    @ValueSource(strings = {"server2", "10.0.0.2:3306", "10.0.0.2_3306", "10.0.0.2"})
    void aReplicaWithinTheLagBoundPasses(String id) {
        Health.Answer a = Health.replica(healthy(), id, 30);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.server()).isEqualTo("server2");
        assertThat(a.reason()).contains("2 s behind");
    }

    @Test
    void aReplicaExactlyAtTheBoundPassesAndOneSecondAboveFails() {
        assertThat(Health.replica(healthy(), "server2", 2).status()).isEqualTo(200);
        Health.Answer over = Health.replica(healthy(), "server2", 1);
        assertThat(over.status()).isEqualTo(503);
        assertThat(over.reason()).contains("lag 2 s is above the bound of 1 s");
    }

    @Test
    void aReplicaOverTheLagBoundFails() {
        AppView a = with(healthy(), replica("server2", "10.0.0.2", 3306, "10.0.0.1:3306", "Yes", true, 3600L));
        Health.Answer answer = Health.replica(a, "server2", 30);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.reason()).contains("3600").contains("30");
    }

    @Test
    void aReplicaWithUnknownLagFails() {
        AppView a = with(healthy(), replica("server2", "10.0.0.2", 3306, "10.0.0.1:3306", "Yes", true, null));
        assertThat(Health.replica(a, "server2", Long.MAX_VALUE).status()).isEqualTo(503);
    }

    @ParameterizedTest(name = "IO thread {0} fails")
    @ValueSource(strings = {"No", "Connecting"})
    void aReplicaWhoseIoThreadIsNotRunningFails(String io) {
        AppView a = with(healthy(), replica("server2", "10.0.0.2", 3306, "10.0.0.1:3306", io, true, 0L));
        Health.Answer answer = Health.replica(a, "server2", 30);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.reason()).contains("IO " + io);
    }

    @Test
    void aReplicaWhoseSqlThreadStoppedFails() {
        AppView a = with(healthy(), replica("server2", "10.0.0.2", 3306, "10.0.0.1:3306", "Yes", false, null));
        Health.Answer answer = Health.replica(a, "server2", 30);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.reason()).contains("SQL No");
    }

    @Test
    void aReplicaOfAnotherMasterFails() {
        AppView a = with(healthy(), replica("server3", "10.0.0.3", 3306, "10.0.0.2:3306", "Yes", true, 0L));
        Health.Answer answer = Health.replica(a, "server3", 30);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.reason()).contains("replicates from 10.0.0.2:3306").contains("10.0.0.1:3306");
    }

    @Test
    void aDownServerFailsBothChecks() {
        AppView a = with(healthy(), down("server2", "10.0.0.2", 3306));
        Health.Answer r = Health.replica(a, "server2", 30);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.reason()).contains("not reachable").contains("Connection refused");
        assertThat(Health.master(a, "server2").status()).isEqualTo(503);
    }

    @Test
    void theMasterAskedAsAReplicaFails() {
        Health.Answer a = Health.replica(healthy(), "server1", 30);
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.reason()).contains("not a replica");
    }

    // ---- naming ----

    @Test
    void aHostSharedByTwoServersIsAmbiguousByBareHostButFoundByHostPort() {
        AppView a = app("10.0.0.5:3306", ALIVE, null,
                master("server1", "10.0.0.5", 3306, false),
                replica("server2", "10.0.0.5", 3307, "10.0.0.5:3306", "Yes", true, 1L));
        assertThat(Health.master(a, "10.0.0.5").status()).isEqualTo(404);
        assertThat(Health.replica(a, "10.0.0.5", 30).status()).isEqualTo(404);
        assertThat(Health.master(a, "10.0.0.5:3306").status()).isEqualTo(200);
        assertThat(Health.master(a, "10.0.0.5_3306").status()).isEqualTo(200);
        Health.Answer r = Health.replica(a, "10.0.0.5:3307", 30);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.server()).isEqualTo("server2");
        assertThat(Health.master(a, "10.0.0.5:3307").status()).isEqualTo(503);
    }

    @Test
    void aBlockNameWinsOverAnotherServersBareHost() {
        // server "db2"'s host is the block name of the other server: the exact name is meant, not the host
        AppView a = app("db2:3306", ALIVE, null,
                master("db1", "db2", 3306, false),
                replica("db2", "db3", 3306, "db2:3306", "Yes", true, 0L));
        assertThat(Health.replica(a, "db2", 30).server()).isEqualTo("db2");
        assertThat(Health.replica(a, "db2", 30).status()).isEqualTo(200);
    }

    // ---- properties ----

    @Property
    void aRunningReplicaOfTheMasterPassesIffItsLagIsWithinTheBound(@ForAll @LongRange(min = 0, max = 1_000_000) long lag,
                                                                   @ForAll @LongRange(min = 0, max = 1_000_000) long bound) {
        AppView a = with(healthy(), replica("server2", "10.0.0.2", 3306, "10.0.0.1:3306", "Yes", true, lag));
        assertThat(Health.replica(a, "server2", bound).status()).isEqualTo(lag <= bound ? 200 : 503);
    }

    @Property
    void onlyTheWatchedMasterPassesTheMasterCheck(@ForAll @IntRange(min = 0, max = 4) int masterIndex,
                                                  @ForAll @IntRange(min = 0, max = 4) int asked) {
        List<ServerView> servers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String host = "10.0.0." + (i + 1);
            servers.add(i == masterIndex ? master("server" + (i + 1), host, 3306, false)
                    : replica("server" + (i + 1), host, 3306, "10.0.0." + (masterIndex + 1) + ":3306", "Yes", true, 0L));
        }
        AppView a = app("10.0.0." + (masterIndex + 1) + ":3306", ALIVE, null, servers.toArray(ServerView[]::new));
        String id = "server" + (asked + 1);
        assertThat(Health.master(a, id).status()).isEqualTo(asked == masterIndex ? 200 : 503);
        assertThat(Health.replica(a, id, 0).status()).isEqualTo(asked == masterIndex ? 503 : 200);
    }

    // ---- from what the poller sees ----

    @Test
    void aReplicaSeenByThePollerPassesWhenItPointsAtTheMastersHostname() {
        AppConfig cfg = Snapshots.config("[server default]\nuser=mha\npassword=x\n[server1]\nhostname=10.0.0.1\n[server2]\nhostname=10.0.0.2\n");
        List<Snapshots.S> s = Snapshots.healthy(cfg);
        s.get(1).lag = 4L;
        Instant now = Instant.now();
        AppView a = app("10.0.0.1:3306", ALIVE, null,
                ServerPoller.view(s.get(0).snapshot(), "10.0.0.1:3306", now, cfg.servers()),
                ServerPoller.view(s.get(1).snapshot(), "10.0.0.1:3306", now, cfg.servers()));
        assertThat(Health.master(a, "server1").status()).isEqualTo(200);
        assertThat(Health.replica(a, "server2", 30).status()).isEqualTo(200);
        assertThat(Health.replica(a, "server2", 3).status()).isEqualTo(503);
    }

    /**
     * MHA4J's own failover, switch and rejoin point replicas at the new master's {@code ip}, while the watched master is
     * named {@code hostname:port}: the view shows a replica's Master_Host as the configured server it names.
     */
    @Test
    void aReplicaPointedAtTheMastersIpPassesWhenTheConfigNamesItByHostname() {
        AppConfig cfg = Snapshots.config("[server default]\nuser=mha\npassword=x\n"
                + "[server1]\nhostname=db1\nip=10.0.0.1\n[server2]\nhostname=db2\nip=10.0.0.2\n");
        List<Snapshots.S> s = Snapshots.healthy(cfg);
        s.get(1).masterHost = "10.0.0.1";   // what CHANGE MASTER written by MHA4J's failover/switch/rejoin holds
        Instant now = Instant.now();
        String watched = "db1:3306";        // AppWatch: FailoverRecord.hostPort(master)
        AppView a = app(watched, ALIVE, null,
                ServerPoller.view(s.get(0).snapshot(), watched, now, cfg.servers()),
                ServerPoller.view(s.get(1).snapshot(), watched, now, cfg.servers()));
        assertThat(Health.replica(a, "server2", 30).status()).isEqualTo(200);
    }
}
