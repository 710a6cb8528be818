package org.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.mha4j.config.AppConfig;
import org.mha4j.promote.Refusal;
import org.mha4j.testing.Snapshots;
import org.mha4j.topology.MariadbGtidSet;
import org.mha4j.topology.ServerSnapshot;

/** The choice of the new master, as MHA's rules and MHA4J's safety rules decide it. */
class FailoverPlannerTest {

    /** server1 is the dead master; the replicas are server2..serverN. */
    private static AppConfig config(int servers, String... perServer) {
        StringBuilder sb = new StringBuilder("[server default]\nuser=mha\n");
        for (int i = 1; i <= servers; i++) {
            sb.append("[server").append(i).append("]\nhostname=10.0.0.").append(i).append('\n');
            if (i - 1 < perServer.length && perServer[i - 1] != null) sb.append(perServer[i - 1]).append('\n');
        }
        return Snapshots.config(sb.toString());
    }

    /** Replicas with the given Gtid_IO_Pos sequence numbers in domain 0 from master server_id 10. */
    private static List<ServerSnapshot> replicas(AppConfig app, long... received) {
        List<Snapshots.S> all = Snapshots.healthy(app);
        for (int i = 1; i < all.size(); i++) {
            all.get(i).executed = "0-10-" + received[i - 1];
            all.get(i).received = "0-10-" + received[i - 1];
        }
        return all.subList(1, all.size()).stream().map(Snapshots.S::snapshot).toList();
    }

    private static FailoverPlan plan(List<ServerSnapshot> r) throws Refusal {
        return FailoverPlanner.plan(r, FailoverOptions.DEFAULT);
    }

    @Test
    void withoutCandidatesTheLatestReplicaIsPromotedWithNoCatchUp() throws Refusal {
        FailoverPlan p = plan(replicas(config(3), 100, 105));
        assertThat(p.newMaster().name()).isEqualTo("server3");
        assertThat(p.catchUp()).isFalse();
        assertThat(p.others()).extracting(Candidate::name).containsExactly("server2");
    }

    /** MHA's "bad candidate": a replica of a newer major series than another one is never promoted (patch levels do not count). */
    @Test
    void aReplicaOfANewerSeriesThanTheOldestIsNotPromoted() throws Refusal {
        AppConfig app = config(4);
        List<Snapshots.S> all = Snapshots.healthy(app);
        all.get(1).version = org.mha4j.topology.ServerVersion.parse("10.6.20-MariaDB", "");
        all.get(2).version = org.mha4j.topology.ServerVersion.parse("10.11.9-MariaDB", "");
        all.get(3).version = org.mha4j.topology.ServerVersion.parse("10.6.18-MariaDB", "");
        for (int i = 1; i < 4; i++) {
            all.get(i).executed = "0-10-" + (i == 2 ? 200 : 100);
            all.get(i).received = all.get(i).executed;
        }
        FailoverPlan p = plan(all.subList(1, 4).stream().map(Snapshots.S::snapshot).toList());
        assertThat(p.latest().name()).isEqualTo("server3");
        assertThat(p.newMaster().name()).isEqualTo("server2");
        assertThat(p.reasoning()).anySatisfy(r -> assertThat(r).contains("server3").contains("10.11 is newer than the oldest replica's 10.6"));
    }

    @Test
    void aCandidateMasterBehindTheLatestIsPromotedAfterCatchingUp() throws Refusal {
        FailoverPlan p = plan(replicas(config(3, null, "candidate_master=1"), 100, 105));
        assertThat(p.newMaster().name()).isEqualTo("server2");
        assertThat(p.latest().name()).isEqualTo("server3");
        assertThat(p.catchUp()).isTrue();
        assertThat(p.reasoning()).anySatisfy(r -> assertThat(r).contains("first catches up from server3"));
    }

    @Test
    void noMasterIsNeverPromoted() throws Refusal {
        FailoverPlan p = plan(replicas(config(3, null, null, "no_master=1"), 100, 105));
        assertThat(p.newMaster().name()).isEqualTo("server2");
        assertThat(p.catchUp()).isTrue();
        assertThat(p.reasoning()).anySatisfy(r -> assertThat(r).contains("server3").contains("no_master=1"));
    }

    @Test
    void aReplicaWithErrantTransactionsIsNeverPromoted() throws Refusal {
        AppConfig app = config(3);
        List<Snapshots.S> s = Snapshots.healthy(app);
        s.get(1).executed = "0-10-100";
        s.get(2).executed = "0-10-100,0-30-101";  // written on server3 itself
        s.get(2).received = "0-10-100";
        FailoverPlan p = plan(List.of(s.get(1).snapshot(), s.get(2).snapshot()));
        assertThat(p.newMaster().name()).isEqualTo("server2");
        assertThat(p.reasoning()).anySatisfy(r -> assertThat(r).contains("errant transactions 0-30-101"));
    }

    @Test
    void aFormerMastersOwnTransactionsThatEveryoneHasAreNotErrant() throws Refusal {
        AppConfig app = config(3);
        List<Snapshots.S> s = Snapshots.healthy(app);
        for (int i = 1; i <= 2; i++) {
            s.get(i).executed = "0-20-50,0-10-100";  // server2 was master before server1
            s.get(i).received = "0-10-100";
        }
        FailoverPlan p = plan(List.of(s.get(1).snapshot(), s.get(2).snapshot()));
        assertThat(p.newMaster().name()).isEqualTo("server2");
        assertThat(p.newMaster().errant().isEmpty()).isTrue();
    }

    @Test
    void divergedReplicasAreRefused() {
        AppConfig app = config(3);
        List<Snapshots.S> s = Snapshots.healthy(app);
        s.get(1).executed = "0-10-100,1-10-5";
        s.get(2).executed = "0-10-105";
        assertThatThrownBy(() -> plan(List.of(s.get(1).snapshot(), s.get(2).snapshot())))
                .isInstanceOf(Refusal.class).hasMessageContaining("diverged")
                .extracting(e -> ((Refusal) e).code()).isEqualTo(Refusal.Code.REPLICAS_DIVERGED);
    }

    @Test
    void forcedNewMaster() throws Refusal {
        AppConfig app = config(3, null, null, "no_master=1");
        List<ServerSnapshot> r = replicas(app, 100, 105);
        FailoverPlan p = FailoverPlanner.plan(r, new FailoverOptions(Optional.of("10.0.0.2"), Optional.empty(), false));
        assertThat(p.newMaster().name()).isEqualTo("server2");
        assertThatThrownBy(() -> FailoverPlanner.plan(r, new FailoverOptions(Optional.of("10.0.0.3"), Optional.empty(), false)))
                .hasMessageContaining("server3 (10.0.0.3:3306) was requested as new master but cannot be: no_master=1")
                .extracting(e -> ((Refusal) e).code()).isEqualTo(Refusal.Code.NEW_MASTER_NOT_ELIGIBLE);
        assertThatThrownBy(() -> FailoverPlanner.plan(r, new FailoverOptions(Optional.of("10.9.9.9"), Optional.empty(), false)))
                .hasMessageContaining("not an alive replica")
                .extracting(e -> ((Refusal) e).code()).isEqualTo(Refusal.Code.NEW_MASTER_UNKNOWN);
    }

    @Test
    void nobodyPromotableIsRefused() {
        AppConfig app = config(3, null, "no_master=1", "no_master=1");
        assertThatThrownBy(() -> plan(replicas(app, 100, 105))).hasMessageStartingWith("none of the replicas can be master")
                .extracting(e -> ((Refusal) e).code()).isEqualTo(Refusal.Code.NO_CANDIDATE);
        assertThatThrownBy(() -> plan(List.of())).hasMessageContaining("no alive replica")
                .extracting(e -> ((Refusal) e).code()).isEqualTo(Refusal.Code.NO_ALIVE_REPLICA);
    }

    /**
     * Whatever the replicas received and whichever are candidates or no_master: the new master is promotable, ends up
     * (after catch-up) with everything any replica received, and is a candidate whenever a promotable candidate exists.
     */
    @Property(tries = 300)
    void theNewMasterLosesNothingAnyReplicaReceived(@ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 50) Integer> seqs,
                                                   @ForAll @Size(min = 5, max = 5) List<@IntRange(min = 0, max = 2) Integer> roles) {
        String[] per = new String[seqs.size() + 1];
        for (int i = 0; i < seqs.size(); i++) per[i + 1] = switch (roles.get(i)) {
            case 1 -> "candidate_master=1";
            case 2 -> "no_master=1";
            default -> null;
        };
        AppConfig app = config(seqs.size() + 1, per);
        List<ServerSnapshot> r = replicas(app, seqs.stream().mapToLong(Integer::longValue).toArray());
        boolean anyPromotable = r.stream().anyMatch(s -> !s.config().noMaster());
        try {
            FailoverPlan p = plan(r);
            assertThat(p.newMaster().promotable()).isTrue();
            long max = seqs.stream().mapToLong(Integer::longValue).max().orElseThrow();
            MariadbGtidSet after = (MariadbGtidSet) (p.catchUp() ? p.latest().received() : p.newMaster().received());
            assertThat(after.positionByDomain().get(0L)).isEqualTo(max);
            boolean candidateExists = r.stream().anyMatch(s -> s.config().candidateMaster() && !s.config().noMaster());
            if (candidateExists) assertThat(p.newMaster().server().config().candidateMaster()).isTrue();
        } catch (Refusal e) {
            assertThat(anyPromotable).as(e.getMessage()).isFalse();
        }
    }

    /** Replicas by file and position: "binlog.000002:500" is what each IO thread read from the dead master. */
    private static List<ServerSnapshot> byPosition(AppConfig app, String... read) {
        List<Snapshots.S> all = Snapshots.healthy(app);
        for (int i = 1; i < all.size(); i++) {
            Snapshots.S s = all.get(i);
            s.usingGtid = "No";
            s.received = "";
            s.masterLogFile = read[i - 1].split(":")[0];
            s.readPos = Long.parseLong(read[i - 1].split(":")[1]);
            s.relayMasterLogFile = s.masterLogFile;
            s.execPos = s.readPos;
        }
        return all.subList(1, all.size()).stream().map(Snapshots.S::snapshot).toList();
    }

    @Test
    void withoutGtidTheReplicaThatReadFurthestInTheMastersBinlogIsLatest() throws Refusal {
        // binlog.000010 is after binlog.000009 even though a shorter offset; MHA compares file names as strings
        FailoverPlan p = plan(byPosition(config(4), "binlog.000009:90000", "binlog.000010:120", "binlog.000010:4"));
        assertThat(p.latest().name()).isEqualTo("server3");
        assertThat(p.newMaster().name()).isEqualTo("server3");
        assertThat(p.catchUp()).isFalse();
        assertThat(p.reasoning().getFirst()).contains("received binlog.000010:120");

        FailoverPlan candidate = plan(byPosition(config(3, null, "candidate_master=1"), "binlog.000009:500", "binlog.000009:900"));
        assertThat(candidate.newMaster().name()).isEqualTo("server2");
        assertThat(candidate.latest().name()).isEqualTo("server3");
        assertThat(candidate.catchUp()).as("the new master first gets the difference from the latest").isTrue();
    }
}
