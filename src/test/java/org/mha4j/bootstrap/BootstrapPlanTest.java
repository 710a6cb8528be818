package org.mha4j.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mha4j.config.AppConfig;
import org.mha4j.testing.Snapshots;
import org.mha4j.topology.ServerSnapshot;

/** What a bootstrap would do, or why it refuses, from the servers' snapshots alone. */
class BootstrapPlanTest {
    private final AppConfig app = Snapshots.threeServers(null);
    private final List<Snapshots.S> s = Snapshots.healthy(app);

    private BootstrapPlan.Plan plan() {
        for (Snapshots.S x : s) x.replica = false;  // bare: nothing replicates yet
        ServerSnapshot master = s.get(0).snapshot();
        List<ServerSnapshot> others = List.of(s.get(1).snapshot(), s.get(2).snapshot());
        Map<String, Boolean> yes = Map.of(master.label(), true, others.get(0).label(), true, others.get(1).label(), true);
        Map<String, Boolean> missing = Map.of(master.label(), false, others.get(0).label(), false, others.get(1).label(), false);
        return BootstrapPlan.plan(master, others, "repl", "pw", missing, yes, Optional.of(0.5));
    }

    @Test
    void bareServersGetTheAccountEverywhereAndTheReplicasFollowTheMasterReadOnly() {
        BootstrapPlan.Plan p = plan();
        assertThat(p.refused()).isFalse();
        assertThat(p.steps()).filteredOn(x -> x.sql().startsWith("CREATE USER")).hasSize(3).allMatch(BootstrapPlan.Step::secret);
        assertThat(p.steps()).filteredOn(x -> x.sql().startsWith("CHANGE MASTER")).hasSize(2)
                .allSatisfy(x -> assertThat(x.sql()).contains("MASTER_HOST='10.0.0.1'").contains("MASTER_HEARTBEAT_PERIOD=0.5"));
        assertThat(p.steps()).filteredOn(x -> x.sql().equals("SET GLOBAL read_only=1")).hasSize(2);
    }

    @Test
    void settingsThatMustBeFixedInMyCnfRefuseItWithTheLine() {
        s.get(1).logBin = false;
        s.get(2).serverId = s.get(0).serverId;
        s.get(2).binlogFormat = "STATEMENT";
        BootstrapPlan.Plan p = plan();
        assertThat(p.refused()).isTrue();
        assertThat(p.steps()).isEmpty();
        assertThat(p.problems()).extracting(BootstrapPlan.Problem::problem)
                .anyMatch(x -> x.contains("binary log is off")).anyMatch(x -> x.contains("server_id")).anyMatch(x -> x.contains("binlog_format"));
        assertThat(p.problems()).filteredOn(x -> x.problem().contains("binary log")).singleElement()
                .satisfies(x -> assertThat(x.myCnf()).hasValue("log_bin=mysql-bin"));
    }

    @Test
    void aReplicaWithTransactionsOfItsOwnIsRefused() {
        s.get(0).executed = "0-1-10";
        s.get(1).executed = "0-1-8";  // behind the master: it catches up by replicating
        s.get(2).executed = "0-1-10,0-3-2";
        assertThat(plan().problems()).singleElement().satisfies(x -> {
            assertThat(x.server()).startsWith("server3");
            assertThat(x.problem()).contains("holds transactions the master").contains("0-3-2");
        });
    }
}
