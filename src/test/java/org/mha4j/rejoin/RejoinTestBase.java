package org.mha4j.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;
import org.mha4j.testing.TestTable;

/** What the rejoin tests share: a failover by hand of server1, and mha rejoin of it. */
abstract class RejoinTestBase extends SandboxTest {

    /** Kills server1, fails over by hand, starts server1 again (read-only, replicating from nothing): the new master's node. */
    int failOverAndRestartOldMaster() throws Exception {
        TestTable.create(sb, 1);
        TestTable.insert(sb, 1, "before", 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTable.rows(sb, 2) == 5 && TestTable.rows(sb, 3) == 5);
        sb.killNode(1);
        Cli.Run failover = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=dead",
                "--dead_master_host=127.0.0.1", "--dead_master_port=" + sb.node(1).port(), "--interactive=0");
        assertThat(failover.rc()).as(failover.out()).isZero();
        sb.startNode(1);
        sb.exec(1, "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only=1");
        return "0".equals(sb.value(2, "SELECT @@read_only")) ? 2 : 3;
    }

    Cli.Run rejoin(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("rejoin", "--conf=" + sb.configFile(), global(), "--host=127.0.0.1",
                "--port=" + sb.node(1).port()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /**
     * {@code --dry-run} says what it would do (and the given phrases) and changes nothing; the rejoin makes server1 a
     * read-only replica of {@code nm}; 5 rows from before the failover, 3 written on {@code nm} before the rejoin and 2
     * after it are on server1 once each.
     */
    void assertRejoinsAsReplicaOf(int nm, String... dryRunSays) throws Exception {
        Cli.Run dry = rejoin("--dry-run");
        assertThat(dry.rc()).as(dry.out()).isZero();
        assertThat(dry.out()).contains("--dry-run").contains("MASTER_PASSWORD='******'").contains(dryRunSays);
        assertThat(TestTable.replicaStatus(sb, 1)).as("--dry-run changes nothing").isEmpty();

        Cli.Run r = rejoin();
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("rejoined: it replicates from the master").doesNotContain(sb.replPassword());
        java.util.Optional<java.util.Map<String, String>> rs = TestTable.replicaStatus(sb, 1);
        assertThat(rs).isPresent();
        assertThat(rs.get().get("Master_Port")).isEqualTo(Integer.toString(sb.node(nm).port()));
        assertThat(sb.value(1, "SELECT @@read_only")).isEqualTo("1");
        TestTable.insert(sb, nm, "later", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTable.rows(sb, 1) == 10);
        assertThat(TestTable.digest(sb, 1)).isEqualTo(TestTable.digest(sb, nm));
    }

    /** The rejoin was refused and changed nothing; the archive it names, in manager_workdir. */
    java.nio.file.Path assertRefusedWithArchive(Cli.Run r) throws Exception {
        assertThat(r.rc()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("[EXTRA_TRANSACTIONS]").contains("Rejoin refused, nothing changed").contains("rebuild");
        assertThat(TestTable.replicaStatus(sb, 1)).as("nothing changed").isEmpty();
        java.nio.file.Path archive;
        try (var files = java.nio.file.Files.list(sb.dir().resolve("manager"))) {
            archive = files.filter(f -> f.getFileName().toString().startsWith("app1.rejoin_archive.") && f.toString().endsWith(".txt"))
                    .findFirst().orElseThrow();
        }
        assertThat(r.out()).contains(archive.toString());
        return archive;
    }
}
