package org.mha4j.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.TestTable;

/**
 * Issue 20: an old master back after a failover rejoins as a replica of the new master when it holds nothing the new
 * master lacks, and is refused, with an archive of what only it holds, when it does. Real MariaDB servers, GTID.
 */
class RejoinIT extends RejoinTestBase {

    @Test
    void anOldMasterThatHoldsNothingExtraRejoinsAsAReadOnlyReplica() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        int nm = failOverAndRestartOldMaster();
        TestTable.insert(sb, nm, "after", 3);

        assertRejoinsAsReplicaOf(nm, "holds nothing the master", "MASTER_USE_GTID=current_pos");

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
        assertThat(r.out()).contains("holds transactions the master").contains("flashback");
        Path archive = assertRefusedWithArchive(r);
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
