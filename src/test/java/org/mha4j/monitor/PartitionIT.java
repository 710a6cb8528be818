package org.mha4j.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mha4j.bench.LoadWriter;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.bench.Netns;
import org.mha4j.bench.PartitionedCluster;
import org.mha4j.testing.SandboxTest;

/**
 * The manager on a host of its own (a network namespace), the servers reached at addresses of this host; the manager's
 * route to the master alone is cut, while the replicas keep receiving from it. A healthy master is never failed over:
 * not when the manager starts during the cut (a manager restarted during a network problem), not when the link breaks
 * while it watches. A real crash afterwards is still failed over, by the same manager process.
 */
class PartitionIT extends SandboxTest {

    private Process manager(PartitionedCluster h, Path out) throws Exception {
        return new ProcessBuilder(h.onManagerHost(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "org.mha4j.cli.Main", "masterha_manager", "--conf=" + h.conf(), global(),
                "--ignore_last_failover")))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    @Test
    void aManagerCutOffFromTheMasterAloneNeverFailsItOverAtStartOrLater() throws Exception {
        assumeTrue(Netns.available(), "needs root and iproute2 for network namespaces");
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        try (PartitionedCluster h = PartitionedCluster.create(sb, tmp.resolve("app1.conf"))) {
            String masterAddress = h.address(1);
            Path conf = h.conf();
            h.cutManagerFrom(1);
            Path out = tmp.resolve("manager.out");
            Process manager = manager(h, out);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("still receive(s) from it"));
                Thread.sleep(6_000);  // more rounds of four failed pings at ping_interval=1
                assertHealthyMasterUntouched(manager, conf, masterAddress);

                h.healManagerTo(1);
                await().atMost(Duration.ofSeconds(20)).until(() -> Cli.run("masterha_check_status", "--conf=" + conf, global())
                        .out().contains("is running(0:PING_OK)"));
                h.cutManagerFrom(1);
                Thread.sleep(9_000);
                assertHealthyMasterUntouched(manager, conf, masterAddress);

                // the master really dies: the same manager fails it over
                h.healManagerTo(1);
                await().atMost(Duration.ofSeconds(20)).until(() -> Cli.run("masterha_check_status", "--conf=" + conf, global())
                        .out().contains("is running(0:PING_OK)"));
                sb.killNode(1);
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("completed successfully"));
                assertThat(writable(2) || writable(3)).isTrue();
            } finally {
                manager.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The master cut off from everyone (the manager's route blackholed, the replicas' link silently frozen) while clients
     * on its side keep writing: once semi-sync times out it acknowledges their commits. The manager fails over; when the
     * partition heals, the old master is made read-only at once, its sessions are ended, and it is reported as needing
     * rejoin, with the transactions that exist only there.
     */
    @Test
    void anIsolatedMasterIsFencedTheMomentThePartitionHeals() throws Exception {
        assumeTrue(Netns.available(), "needs root and iproute2 for network namespaces");
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        try (Connection c = sb.connect(1)) {
            LoadWriter.createTable(c);
        }
        try (PartitionedCluster h = PartitionedCluster.create(sb, tmp.resolve("app1.conf"))) {
            String masterAddress = h.address(1);
            Path out = tmp.resolve("manager.out");
            Process manager = manager(h, out);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Cli.run("masterha_check_status", "--conf=" + h.conf(), global())
                        .out().contains("is running(0:PING_OK)"));
                LoadWriter oldSide = new LoadWriter("127.0.0.1", sb.node(1).port(), Sandbox.ADMIN_USER, sb.adminPassword(), 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> oldSide.acknowledged() >= 50);

                h.isolateMaster();
                await().atMost(Duration.ofSeconds(60)).until(() -> writable(2) || writable(3));
                int nm = writable(2) ? 2 : 3;
                int before = oldSide.acknowledged();
                await().atMost(Duration.ofSeconds(20)).until(() -> oldSide.acknowledged() > before);  // split brain, for now

                h.healMaster();
                long healed = System.nanoTime();
                await().atMost(Duration.ofSeconds(15)).until(() -> "1".equals(value(1, "SELECT @@read_only")));
                System.out.println("old master read-only " + (System.nanoTime() - healed) / 1_000_000 + " ms after the partition healed");
                await().atMost(Duration.ofSeconds(10)).until(() -> Cli.run("masterha_check_status", "--conf=" + h.conf(), global()).rc() == 60);
                assertThat(Cli.run("masterha_check_status", "--conf=" + h.conf(), global()).out())
                        .contains("old master " + masterAddress + ":" + sb.node(1).port() + " needs rejoin(60:NEEDS_REJOIN)");
                String log = Files.readString(out);
                assertThat(log).contains("answered again and was WRITABLE").contains("exist only on the old master");
                oldSide.close();
                assertThat(value(nm, "SELECT @@read_only")).isEqualTo("0");
            } finally {
                manager.destroyForcibly().waitFor();
            }
        }
    }

    private void assertHealthyMasterUntouched(Process manager, Path conf, String masterAddress) throws SQLException {
        assertThat(manager.isAlive()).as("the manager must still be running").isTrue();
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");
        for (int node = 2; node <= 3; node++) {
            try (Connection c = sb.connect(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("Master_Host")).isEqualTo(masterAddress);
                assertThat(rs.getString("Slave_IO_Running")).isEqualTo("Yes");
            }
            assertThat(value(node, "SELECT @@read_only")).isEqualTo("1");
        }
        assertThat(conf.resolveSibling("sb/manager/app1.failover.complete")).doesNotExist();
        assertThat(conf.resolveSibling("sb/manager/app1.failover.error")).doesNotExist();
    }

    private boolean writable(int node) throws SQLException {
        try (Connection c = sb.connect(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return !rs.next() && "0".equals(value(node, "SELECT @@read_only"));
        }
    }
}
