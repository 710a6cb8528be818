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
import org.mha4j.monitor.DeathVerdict.Code;
import org.mha4j.monitor.DeathVerdict.Observations;
import org.mha4j.monitor.DeathVerdict.Replica;
import org.mha4j.monitor.DeathVerdict.ReplicaView;
import org.mha4j.monitor.DeathVerdict.SecondaryCheck;

/** The death verdict on every combination of what the manager can observe. */
class DeathVerdictTest {

    private static final Optional<SecondaryCheck> NONE = Optional.empty();

    private static DeathVerdict.Verdict judge(int failures, Optional<SecondaryCheck> secondary, ReplicaView... views) {
        List<Replica> rs = new java.util.ArrayList<>();
        for (int i = 0; i < views.length; i++) rs.add(new Replica("server" + (i + 2), views[i]));
        return DeathVerdict.judge("server1", new Observations(failures, secondary, rs));
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
        return Combinators.combine(Arbitraries.integers().between(0, 10), secondary, replicas).as(Observations::new);
    }

    @Property
    void neverAFailoverWhileAReplicaStillReceives(@ForAll("observations") Observations o) {
        boolean receiving = o.replicas().stream().anyMatch(r -> r.view() == ReplicaView.RECEIVING);
        if (receiving) assertThat(DeathVerdict.judge("m", o).failover()).isFalse();
    }

    @Property
    void neverAFailoverBeforeFourFailuresOrAgainstTheSecondaryCheck(@ForAll("observations") Observations o) {
        boolean secondaryDisagrees = o.secondary().isPresent() && !o.secondary().get().agreesDead();
        if (o.consecutiveFailures() < DeathVerdict.FAILURES_BEFORE_SUSPECT || secondaryDisagrees) {
            assertThat(DeathVerdict.judge("m", o).failover()).isFalse();
        }
    }

    @Property
    void aFailoverExactlyWhenEveryRouteAgreesAndSomeReplicaAnswers(@ForAll("observations") Observations o) {
        boolean expected = o.consecutiveFailures() >= DeathVerdict.FAILURES_BEFORE_SUSPECT
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
