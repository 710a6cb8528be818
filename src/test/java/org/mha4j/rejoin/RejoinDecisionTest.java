package org.mha4j.rejoin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mha4j.config.AppConfig;
import org.mha4j.testing.Snapshots;
import org.mha4j.topology.ServerVersion;

/** Whether an old master may rejoin, on every situation the two snapshots can show. */
class RejoinDecisionTest {
    private final AppConfig app = Snapshots.threeServers(null);
    private final List<Snapshots.S> s = Snapshots.healthy(app);

    /** server2 the current master (writable, replicating from nothing); server1 the old master, back, read-only, alone. */
    private RejoinDecision.Verdict decide(String oldHas, String masterHas) {
        Snapshots.S master = s.get(1);
        master.replica = false;
        master.readOnly = false;
        master.executed = masterHas;
        Snapshots.S old = s.get(0);
        old.replica = false;
        old.executed = oldHas;
        return RejoinDecision.decide(old.snapshot(), master.snapshot());
    }

    @Test
    void anOldMasterThatHoldsNothingMoreRejoins() {
        assertThat(decide("0-1-100", "0-1-100,0-2-7").code()).isEqualTo(RejoinDecision.Code.REJOIN);
        assertThat(decide("0-1-100", "0-1-100").changes()).isTrue();
    }

    @Test
    void transactionsOnlyOnTheOldMasterRefuseItAndAreNamed() {
        RejoinDecision.Verdict v = decide("0-1-103", "0-1-100,0-2-7");
        assertThat(v.code()).isEqualTo(RejoinDecision.Code.EXTRA_TRANSACTIONS);
        assertThat(v.changes()).isFalse();
        assertThat(v.extra()).isPresent();
        assertThat(v.reason()).contains("holds transactions the master").contains("0-1-103");
    }

    @Test
    void theMasterItselfAnotherFlavourAndAReplicaAlreadyAreNotRejoined() {
        Snapshots.S master = s.get(1);
        master.replica = false;
        assertThat(RejoinDecision.decide(master.snapshot(), master.snapshot()).code()).isEqualTo(RejoinDecision.Code.IS_MASTER);
        Snapshots.S mysql = s.get(0);
        mysql.replica = false;
        mysql.version = ServerVersion.parse("8.0.36", "MySQL Community Server - GPL");
        mysql.executed = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5";
        assertThat(RejoinDecision.decide(mysql.snapshot(), master.snapshot()).code()).isEqualTo(RejoinDecision.Code.OTHER_FLAVOR);
        Snapshots.S replica = s.get(2);
        replica.masterHost = "10.0.0.2";
        assertThat(RejoinDecision.decide(replica.snapshot(), master.snapshot()).code()).isEqualTo(RejoinDecision.Code.ALREADY_REPLICA);
    }

    @Test
    void gtidSetsAreReadFromTheEventsTheServersList() {
        assertThat(Rejoin.gtidOf(org.mha4j.topology.Flavor.MARIADB, "BEGIN GTID 0-10-42")).map(Object::toString).hasValue("0-10-42");
        assertThat(Rejoin.gtidOf(org.mha4j.topology.Flavor.MYSQL, "SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:23'"))
                .map(Object::toString).hasValue("3e11fa47-71ca-11e1-9e33-c80aa9429562:23");
        assertThat(Rejoin.gtidOf(org.mha4j.topology.Flavor.MARIADB, "use `t`; INSERT ...")).isEmpty();
    }
}
