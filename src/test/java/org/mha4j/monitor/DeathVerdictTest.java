package org.mha4j.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.mha4j.config.Detection;
import org.mha4j.monitor.DeathVerdict.Code;
import org.mha4j.monitor.DeathVerdict.Observations;
import org.mha4j.monitor.DeathVerdict.Replica;
import org.mha4j.monitor.DeathVerdict.ReplicaView;
import org.mha4j.monitor.DeathVerdict.SecondaryCheck;
import org.mha4j.topology.Heartbeat;

/** The death verdict on every combination of what the manager can observe. */
class DeathVerdictTest {

    private static final Optional<SecondaryCheck> NONE = Optional.empty();

    private static DeathVerdict.Verdict judge(int failures, Optional<SecondaryCheck> secondary, ReplicaView... views) {
        return judge(Detection.MHA, failures, false, secondary, views);
    }

    private static DeathVerdict.Verdict judge(Detection d, int failures, boolean refused, Optional<SecondaryCheck> secondary,
                                              ReplicaView... views) {
        List<Replica> rs = new java.util.ArrayList<>();
        for (int i = 0; i < views.length; i++) rs.add(new Replica("server" + (i + 2), views[i]));
        return DeathVerdict.judge("server1", new Observations(d, failures, refused, secondary, rs));
    }

    @Test
    void fastDetectionSuspectsAMasterWhosePortIsClosedAtTheFirstFailure() {
        DeathVerdict.Verdict v = judge(Detection.FAST, 1, true, NONE, ReplicaView.NOT_RECEIVING, ReplicaView.NOT_RECEIVING);
        assertThat(v.code()).isEqualTo(Code.DEAD_MASTER);
        assertThat(v.reason()).contains("refuses connections");
        // the replicas still confirm it: one that receives means the master is alive
        assertThat(judge(Detection.FAST, 1, true, NONE, ReplicaView.RECEIVING).code()).isEqualTo(Code.UNREACHABLE_MASTER);
        // a timeout is not a closed port: two failures with detection=fast
        assertThat(judge(Detection.FAST, 1, false, NONE, ReplicaView.NOT_RECEIVING).code()).isEqualTo(Code.PING_FAILING);
        assertThat(judge(Detection.FAST, 2, false, NONE, ReplicaView.SILENT).code()).isEqualTo(Code.MASTER_HUNG);
        assertThat(judge(Detection.FAST, 2, false, NONE, ReplicaView.SILENT, ReplicaView.RECEIVING).code()).isEqualTo(Code.UNREACHABLE_MASTER);
        assertThat(judge(Detection.MHA, 3, false, NONE, ReplicaView.SILENT).code()).isEqualTo(Code.PING_FAILING);
        // detection=mha is MHA's rule whatever the failure
        assertThat(judge(Detection.MHA, 1, true, NONE, ReplicaView.NOT_RECEIVING).code()).isEqualTo(Code.PING_FAILING);
        assertThat(judge(Detection.MHA, 4, true, NONE, ReplicaView.NOT_RECEIVING).code()).isEqualTo(Code.DEAD_MASTER);
    }

    @Test
    void aGoodPingIsAliveAndFewerThanFourFailuresAreNotSuspected() {
        assertThat(judge(0, NONE, ReplicaView.NOT_RECEIVING).code()).isEqualTo(Code.MASTER_ALIVE);
        assertThat(judge(3, NONE, ReplicaView.NOT_RECEIVING).code()).isEqualTo(Code.PING_FAILING);
        assertThat(judge(4, NONE, ReplicaView.NOT_RECEIVING, ReplicaView.NOT_RECEIVING).code()).isEqualTo(Code.DEAD_MASTER);
    }

    @Test
    void aReplicaThatStillReceivesMeansTheManagersLinkIsBroken() {
        DeathVerdict.Verdict v = judge(4, NONE, ReplicaView.NOT_RECEIVING, ReplicaView.RECEIVING);
        assertThat(v.code()).isEqualTo(Code.UNREACHABLE_MASTER);
        assertThat(v.failover()).isFalse();
        assertThat(v.reason()).contains("server3 still receive(s) from it");
    }

    @Test
    void aManagerThatReachesNobodyDoesNotFailOver() {
        DeathVerdict.Verdict v = judge(4, NONE, ReplicaView.UNREACHABLE, ReplicaView.UNREACHABLE);
        assertThat(v.code()).isEqualTo(Code.NO_REPLICA_ANSWERS);
        assertThat(v.failover()).isFalse();
    }

    @Test
    void someReplicasUnreachableStillFailsOverAndSaysWhich() {
        DeathVerdict.Verdict v = judge(4, NONE, ReplicaView.UNREACHABLE, ReplicaView.NOT_RECEIVING);
        assertThat(v.code()).isEqualTo(Code.DEAD_MASTER_AND_SOME_REPLICAS);
        assertThat(v.failover()).isTrue();
        assertThat(v.reason()).contains("server2");
    }

    @Test
    void theSecondaryCheckSpeaksInMhasExitCodes() {
        assertThat(judge(4, Optional.of(new SecondaryCheck(0, false)), ReplicaView.NOT_RECEIVING).code()).isEqualTo(Code.DEAD_MASTER);
        assertThat(judge(4, Optional.of(new SecondaryCheck(3, false))).code()).isEqualTo(Code.SECONDARY_CHECK_REACHED_MASTER);
        assertThat(judge(4, Optional.of(new SecondaryCheck(2, false))).reason()).startsWith("At least one of monitoring servers is not reachable");
        assertThat(judge(4, Optional.of(new SecondaryCheck(1, false))).code()).isEqualTo(Code.SECONDARY_CHECK_FAILED);
        assertThat(judge(4, Optional.of(new SecondaryCheck(0, true))).code()).isEqualTo(Code.SECONDARY_CHECK_FAILED);
    }

    // ---------------------------------------------------------------- a replica's view: quiet master or hung master

    private static DeathVerdict.ReplicaSample sample(boolean connected, String read, long heartbeats, double period, long at) {
        return new DeathVerdict.ReplicaSample("server2", true, connected, read, Optional.of(new Heartbeat(period, heartbeats)), at);
    }

    @Test
    void aConnectedReplicaThatGotNothingForSeveralHeartbeatPeriodsSeesASilentMaster() {
        var before = sample(true, "binlog.000001:500", 10, 1.0, 0);
        assertThat(DeathVerdict.view(Optional.of(before), sample(true, "binlog.000001:500", 10, 1.0, 3000))).isEqualTo(ReplicaView.SILENT);
        // a heartbeat, or an event read, within the window: the master sends, it is alive
        assertThat(DeathVerdict.view(Optional.of(before), sample(true, "binlog.000001:500", 11, 1.0, 3000))).isEqualTo(ReplicaView.RECEIVING);
        assertThat(DeathVerdict.view(Optional.of(before), sample(true, "binlog.000001:900", 10, 1.0, 3000))).isEqualTo(ReplicaView.RECEIVING);
        // too short a window for the period (the servers' default, 30 s): the IO thread's Yes is all there is
        assertThat(DeathVerdict.view(Optional.of(sample(true, "b:1", 10, 30.0, 0)), sample(true, "b:1", 10, 30.0, 9000)))
                .isEqualTo(ReplicaView.RECEIVING);
        // no earlier sample: MHA's rule
        assertThat(DeathVerdict.view(Optional.empty(), sample(true, "b:1", 10, 1.0, 9000))).isEqualTo(ReplicaView.RECEIVING);
        assertThat(DeathVerdict.view(Optional.of(before), sample(false, "binlog.000001:500", 10, 1.0, 3000))).isEqualTo(ReplicaView.NOT_RECEIVING);
        assertThat(DeathVerdict.view(Optional.of(before), DeathVerdict.ReplicaSample.unreachable("server2", 3000))).isEqualTo(ReplicaView.UNREACHABLE);
    }

    @Test
    void aSilentMasterIsHungAndFailedOverUnlessAReplicaStillReceives() {
        DeathVerdict.Verdict v = judge(4, NONE, ReplicaView.SILENT, ReplicaView.NOT_RECEIVING);
        assertThat(v.code()).isEqualTo(Code.MASTER_HUNG);
        assertThat(v.failover()).isTrue();
        assertThat(judge(4, NONE, ReplicaView.SILENT, ReplicaView.RECEIVING).code()).isEqualTo(Code.UNREACHABLE_MASTER);
    }

    @Property
    void aReplicaIsSilentOnlyWhenNothingCameForLongEnough(@ForAll boolean connected, @ForAll @net.jqwik.api.constraints.IntRange(max = 3) int events,
                                                          @ForAll @net.jqwik.api.constraints.IntRange(max = 3) int heartbeats,
                                                          @ForAll @net.jqwik.api.constraints.IntRange(max = 20_000) int windowMs,
                                                          @ForAll("periods") double period) {
        var before = sample(true, "binlog.000001:100", 7, period, 1_000);
        var now = sample(connected, "binlog.000001:" + (100 + events), 7 + heartbeats, period, 1_000 + windowMs);
        boolean silent = DeathVerdict.view(Optional.of(before), now) == ReplicaView.SILENT;
        assertThat(silent).isEqualTo(connected && events == 0 && heartbeats == 0 && period > 0
                && windowMs >= DeathVerdict.SILENT_PERIODS * period * 1000);
    }

    @Property
    void waitingTheTimeStillNeededDecides(@ForAll boolean connected, @ForAll @net.jqwik.api.constraints.IntRange(max = 1) int heartbeats,
                                          @ForAll @net.jqwik.api.constraints.IntRange(max = 20_000) int windowMs, @ForAll("periods") double period) {
        var before = sample(true, "binlog.000001:100", 7, period, 1_000);
        var now = sample(connected, "binlog.000001:100", 7 + heartbeats, period, 1_000 + windowMs);
        long more = DeathVerdict.moreTimeNeeded(Optional.of(before), now);
        if (more > 0) {
            assertThat(DeathVerdict.view(Optional.of(before), now)).isEqualTo(ReplicaView.RECEIVING);
            var later = sample(connected, "binlog.000001:100", 7 + heartbeats, period, 1_000 + windowMs + more);
            assertThat(DeathVerdict.view(Optional.of(before), later)).isEqualTo(ReplicaView.SILENT);
        } else {
            assertThat(DeathVerdict.view(Optional.of(before), now)).isEqualTo(connected && heartbeats == 0 && period > 0
                    ? ReplicaView.SILENT : connected ? ReplicaView.RECEIVING : ReplicaView.NOT_RECEIVING);
        }
    }

    @Provide
    Arbitrary<Double> periods() {
        return Arbitraries.of(0.0, 0.5, 1.0, 2.0, 30.0);
    }

    // ---------------------------------------------------------------- properties over every observation

    @Provide
    Arbitrary<Observations> observations() {
        Arbitrary<Optional<SecondaryCheck>> secondary = Combinators.combine(Arbitraries.of(0, 1, 2, 3, 127), Arbitraries.of(true, false))
                .as(SecondaryCheck::new).optional(0.6);
        Arbitrary<List<Replica>> replicas = Arbitraries.of(ReplicaView.class).list().ofMinSize(1).ofMaxSize(6)
                .map(vs -> {
                    List<Replica> out = new java.util.ArrayList<>();
                    for (int i = 0; i < vs.size(); i++) out.add(new Replica("server" + (i + 2), vs.get(i)));
                    return out;
                });
        return Combinators.combine(Arbitraries.of(Detection.class), Arbitraries.integers().between(0, 10), Arbitraries.of(true, false),
                secondary, replicas).as(Observations::new);
    }

    @Property
    void neverAFailoverWhileAReplicaStillReceives(@ForAll("observations") Observations o) {
        boolean receiving = o.replicas().stream().anyMatch(r -> r.view() == ReplicaView.RECEIVING);
        if (receiving) assertThat(DeathVerdict.judge("m", o).failover()).isFalse();
    }

    @Property
    void neverAFailoverBeforeFourFailuresOrTwoWhenFastOrOneWhenRefusedNorAgainstTheSecondaryCheck(@ForAll("observations") Observations o) {
        boolean secondaryDisagrees = o.secondary().isPresent() && !o.secondary().get().agreesDead();
        int needed = o.detection() == Detection.MHA ? 4 : o.refused() ? 1 : 2;
        if (o.consecutiveFailures() < needed || secondaryDisagrees) {
            assertThat(DeathVerdict.judge("m", o).failover()).isFalse();
        }
    }

    @Property
    void aFailoverExactlyWhenEveryRouteAgreesAndSomeReplicaAnswers(@ForAll("observations") Observations o) {
        boolean suspected = o.consecutiveFailures() >= (o.detection() == Detection.MHA ? 4 : 2)
                || o.detection() == Detection.FAST && o.refused() && o.consecutiveFailures() > 0;
        boolean expected = suspected
                && o.secondary().map(SecondaryCheck::agreesDead).orElse(true)
                && o.replicas().stream().noneMatch(r -> r.view() == ReplicaView.RECEIVING)
                && o.replicas().stream().anyMatch(r -> r.view() != ReplicaView.UNREACHABLE);
        assertThat(DeathVerdict.judge("m", o).failover()).isEqualTo(expected);
    }

    @Property
    void everyVerdictHasACodeAndASentence(@ForAll("observations") Observations o) {
        DeathVerdict.Verdict v = DeathVerdict.judge("m", o);
        assertThat(v.code()).isNotNull();
        assertThat(v.reason()).isNotBlank();
    }
}
