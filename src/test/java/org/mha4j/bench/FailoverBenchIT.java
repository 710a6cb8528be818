package org.mha4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.mha4j.sandbox.SandboxFlavor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The short version of `mha bench failover`: one trial per fault, the manager a separate process. Asserts what must
 * hold (the failover completed, no acknowledged commit lost with semi-sync on), never how fast.
 */
@Tag("integration")
class FailoverBenchIT {

    @TempDir
    Path tmp;

    /** Every fault of a dead master; the healthy master's (manager_cut, packet_loss: no failover is right) are PartitionIT's. */
    @ParameterizedTest
    @EnumSource(value = FailoverBench.Fault.class, mode = EnumSource.Mode.EXCLUDE, names = {"MANAGER_CUT", "PACKET_LOSS"})
    void everyFaultEndsInACompletedFailoverWithNothingAcknowledgedLost(FailoverBench.Fault fault) throws Exception {
        if (fault == FailoverBench.Fault.PARTITION) assumeTrue(Netns.available(), "needs root and iproute2 for network namespaces");
        // an isolated master acknowledges alone once semi-sync times out: only an infinite timeout promises nothing lost
        Optional<String> timeout = fault == FailoverBench.Fault.PARTITION ? Optional.of("infinite") : Optional.empty();
        FailoverBench bench = new FailoverBench(new FailoverBench.Settings(tmp, 3, 4, SandboxFlavor.MARIADB, 1, true, false, timeout, false));
        FailoverBench.Trial t = bench.trial(1, fault);
        if (fault == FailoverBench.Fault.PARTITION) assertThat(t.fenceMs()).as("old master read-only after the partition healed").isNotNegative();
        System.out.print(FailoverBench.table(java.util.List.of(t)));
        assertThat(t.failedOver()).as("failover completed after %s", fault).isTrue();
        assertThat(t.acknowledged()).isPositive();
        if (fault != FailoverBench.Fault.REPLICA_DIES) {
            assertThat(t.lost()).as("acknowledged commits lost after %s", fault).isZero();
        }
        // With the master and a replica dead together, a commit only that replica acknowledged is gone with both:
        // semi-sync waits for one acknowledgement, so the bench reports that case rather than promising it away.
        assertThat(t.phaseMs()).containsKeys("Phase 1", "Phase 2", "Phase 3", "Phase 4", "Phase 5");
    }

    /**
     * The manager as a separate process on a cluster without GTID and with semi-sync off: kill -9 under writers, the
     * tail no replica received saved from the dead master's disk and applied to three servers sharing one host at
     * once, and nothing acknowledged lost.
     */
    @Test
    void theManagerFailsOverAClusterWithoutGtidLosingNothing() throws Exception {
        FailoverBench bench = new FailoverBench(new FailoverBench.Settings(tmp, 4, 4, SandboxFlavor.MARIADB, 1, false, true));
        FailoverBench.Trial t = bench.trial(1, FailoverBench.Fault.KILL);
        System.out.print(FailoverBench.table(java.util.List.of(t)));
        assertThat(t.failedOver()).isTrue();
        assertThat(t.acknowledged()).isPositive();
        assertThat(t.lost()).as("acknowledged commits lost").isZero();
    }
}
