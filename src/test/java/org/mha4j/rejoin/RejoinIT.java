package org.mha4j.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;
import org.mha4j.testing.TestTable;

/**
 * Issue 20: an old master back after a failover rejoins as a replica of the new master when it holds nothing the new
 * master lacks, and is refused, with an archive of what only it holds, when it does. Real MariaDB servers, GTID.
 */
class RejoinIT extends SandboxTest {

    /** Kills server1, fails over by hand, starts server1 again (read-only, replicating from nothing): the new master's node. */
    private int failOverAndRestartOldMaster() throws Exception {
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

    private Cli.Run rejoin(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("rejoin", "--conf=" + sb.configFile(), global(), "--host=127.0.0.1",
                "--port=" + sb.node(1).port()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void anOldMasterThatHoldsNothingExtraRejoinsAsAReadOnlyReplica() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        int nm = failOverAndRestartOldMaster();
        TestTable.insert(sb, nm, "after", 3);

        Cli.Run dry = rejoin("--dry-run");
        assertThat(dry.rc()).as(dry.out()).isZero();
        assertThat(dry.out()).contains("--dry-run").contains("holds nothing the master").contains("MASTER_USE_GTID=current_pos")
                .contains("MASTER_PASSWORD='******'");
        assertThat(TestTable.replicaStatus(sb, 1)).as("--dry-run changes nothing").isEmpty();

        Cli.Run r = rejoin();
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("rejoined: it replicates from the master").doesNotContain(sb.replPassword());
        Optional<java.util.Map<String, String>> rs = TestTable.replicaStatus(sb, 1);
        assertThat(rs).isPresent();
        assertThat(rs.get().get("Master_Port")).isEqualTo(Integer.toString(sb.node(nm).port()));
        assertThat(sb.value(1, "SELECT @@read_only")).isEqualTo("1");
        TestTable.insert(sb, nm, "later", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTable.rows(sb, 1) == 10);
        assertThat(TestTable.digest(sb, 1)).isEqualTo(TestTable.digest(sb, nm));

        Cli.Run again = rejoin();
        assertThat(again.rc()).isZero();
        assertThat(again.out()).contains("already replicates from the master").contains("[ALREADY_REPLICA]");
        Cli.Run master = Cli.run("rejoin", "--conf=" + sb.configFile(), global(), "--host=127.0.0.1", "--port=" + sb.node(nm).port());
        assertThat(master.rc()).isEqualTo(1);
        assertThat(master.out()).contains("is the current master").contains("[IS_MASTER]");
    }

    @Test
    void anOldMasterWithTransactionsTheNewMasterLacksIsRefusedAndArchived() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        int nm = failOverAndRestartOldMaster();
        // what a client wrote on the old master behind the manager's back (or in an asynchronous window)
        sb.exec(1, "SET GLOBAL read_only=0", "INSERT INTO t.a(v) VALUES ('only-on-the-old-master')", "SET GLOBAL read_only=1");
        String oldOnly = sb.value(1, "SELECT @@gtid_binlog_pos");

        Cli.Run r = rejoin();
        assertThat(r.rc()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("holds transactions the master").contains("[EXTRA_TRANSACTIONS]").contains("Rejoin refused, nothing changed")
                .contains("rebuild").contains("flashback");
        assertThat(TestTable.replicaStatus(sb, 1)).as("nothing changed").isEmpty();
        Path archive;
        try (var files = Files.list(sb.dir().resolve("manager"))) {
            archive = files.filter(f -> f.getFileName().toString().startsWith("app1.rejoin_archive.") && f.toString().endsWith(".txt"))
                    .findFirst().orElseThrow();
        }
        assertThat(r.out()).contains(archive.toString());
        String text = Files.readString(archive);
        assertThat(text).contains("only on it:").contains(oldOnly).contains("Write_rows").contains("# the raw events, from ");
        Path raw = archive.resolveSibling(archive.getFileName().toString().replace(".txt", ".binlog"));
        assertThat(raw).exists();
        Process render = new ProcessBuilder("mariadb-binlog", "--base64-output=decode-rows", "-v", raw.toString()).redirectErrorStream(true).start();
        String sql = new String(render.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(render.waitFor()).as(sql).isZero();
        assertThat(sql).contains("only-on-the-old-master");
        assertThat(java.nio.file.Files.getPosixFilePermissions(archive)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(TestTable.rows(sb, nm)).isEqualTo(5);

        // MariaDB, row-based: undo them (they stay in the archive) and rejoin
        Cli.Run fb = rejoin("--flashback");
        assertThat(fb.rc()).as(fb.out()).isZero();
        assertThat(fb.out()).contains("undo the transactions").contains("rejoined: it replicates from the master").doesNotContain(sb.replPassword());
        assertThat(sb.value(1, "SELECT COUNT(*) FROM t.a WHERE v='only-on-the-old-master'")).isEqualTo("0");
        TestTable.insert(sb, nm, "after-flashback", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTable.rows(sb, 1) == 7);
        assertThat(TestTable.digest(sb, 1)).isEqualTo(TestTable.digest(sb, nm));
        assertThat(sb.value(1, "SELECT @@read_only")).isEqualTo("1");
    }
}
