package org.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mha4j.testing.TestTable.digest;
import static org.mha4j.testing.TestTable.insert;
import static org.mha4j.testing.TestTable.replicaStatus;
import static org.mha4j.testing.TestTable.rows;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;
import org.mha4j.testing.TestTable;

/** Issue 15: failures MHA 0.58 recovers from (or options it honours), on real servers, by GTID and by file/position. */
class MhaParityIT extends SandboxTest {

    private void up(boolean gtid) {
        up(gtid, 3);
    }

    private void up(boolean gtid, int nodes) {
        Sandbox s = Sandbox.create(tmp.resolve("sb"), nodes, 0);
        sb = (gtid ? s : s.positionReplication()).up();
        TestTable.create(sb, 1);
    }

    private Cli.Run failover(String... extra) throws Exception {
        String[] base = {"masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=dead",
                "--dead_master_host=127.0.0.1", "--dead_master_port=" + sb.node(1).port(), "--interactive=0"};
        return Cli.run(Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    /**
     * --skip_change_master and --skip_disable_read_only, as MHA: the replicas get the new master's data and stay where
     * they were, replication stopped; the new master stays read-only and keeps its replica settings.
     */
    @ParameterizedTest(name = "gtid={0}")
    @ValueSource(booleans = {true, false})
    void skipChangeMasterAndSkipDisableReadOnlyAreHonoured(boolean gtid) throws Exception {
        up(gtid);
        insert(sb, 1, "a", 50);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 2) == 50 && rows(sb, 3) == 50);
        sb.killNode(1);

        Cli.Run r = failover("--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(),
                "--skip_change_master", "--skip_disable_read_only");

        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).doesNotContain("Ignoring unknown option").contains("--skip_change_master").contains("--skip_disable_read_only");
        assertThat(sb.value(2, "SELECT @@read_only")).isEqualTo("1");
        assertThat(replicaStatus(sb, 2)).as("the new master keeps its replica settings").isPresent();
        Map<String, String> s3 = replicaStatus(sb, 3).orElseThrow();
        assertThat(s3.get("Master_Port")).isEqualTo(String.valueOf(sb.node(1).port()));
        assertThat(s3.get("Slave_IO_Running")).isEqualTo("No");
        assertThat(s3.get("Slave_SQL_Running")).isEqualTo("No");
        assertThat(rows(sb, 3)).isEqualTo(50);
        assertThat(digest(sb, 3)).isEqualTo(digest(sb, 2));
    }

    /**
     * A replica whose SQL thread was paused (a backup) while its IO thread received more, or with both threads stopped
     * after that: MariaDB with GTID throws its relay log away when it starts replication with both threads stopped. The
     * failover neither waits for transactions that replica can no longer apply nor leaves it behind.
     */
    @ParameterizedTest(name = "both threads stopped before: {0}")
    @ValueSource(booleans = {false, true})
    void aReplicaWithItsSqlThreadStoppedIsRecoveredByGtid(boolean bothStopped) throws Exception {
        up(true);
        insert(sb, 1, "a", 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 3) == 20);
        sb.exec(3, "STOP SLAVE SQL_THREAD");
        insert(sb, 1, "b", 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 2) == 50
                && !replicaStatus(sb, 3).orElseThrow().get("Gtid_IO_Pos").equals(sb.value(3, "SELECT @@gtid_slave_pos")));
        if (bothStopped) sb.exec(3, "STOP SLAVE IO_THREAD");
        assertThat(rows(sb, 3)).isEqualTo(20);
        sb.killNode(1);

        Cli.Run r = failover("--gtid_wait_seconds=20");

        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(sb.value(2, "SELECT @@read_only")).isEqualTo("0");
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(sb, 3) == 50);
        assertThat(digest(sb, 3)).isEqualTo(digest(sb, 2));
        Map<String, String> s3 = replicaStatus(sb, 3).orElseThrow();
        assertThat(s3.get("Master_Port")).isEqualTo(String.valueOf(sb.node(2).port()));
        assertThat(s3.get("Slave_IO_Running")).isEqualTo("Yes");
        assertThat(s3.get("Slave_SQL_Running")).isEqualTo("Yes");
    }

    /**
     * A replica holding a conflicting local row fails (1062) while it applies its relay log during the failover: as MHA,
     * another replica is promoted, the rest recovered, and the broken one left on the dead master (exit 10), but with
     * replication stopped and read-only, named in the report.
     */
    @ParameterizedTest(name = "gtid={0}")
    @ValueSource(booleans = {true, false})
    void aReplicaFailingWhileItCatchesUpIsLeftBehindAndTheRestRecovered(boolean gtid) throws Exception {
        up(gtid, 4);
        insert(sb, 1, "a", 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 3) == 10);
        sb.exec(3, "STOP SLAVE SQL_THREAD", "SET sql_log_bin=0", "INSERT INTO t.a VALUES (15, 'local')", "SET sql_log_bin=1");
        insert(sb, 1, "b", 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 2) == 20);
        sb.killNode(1);

        Cli.Run r = failover("--gtid_wait_seconds=60");

        assertThat(r.rc()).as(r.out()).isEqualTo(10);
        assertThat(r.out()).contains("server3").contains("left behind").contains("1062");
        assertThat(sb.value(2, "SELECT @@read_only")).isEqualTo("0");
        assertThat(replicaStatus(sb, 2)).isEmpty();
        Map<String, String> s3 = replicaStatus(sb, 3).orElseThrow();
        assertThat(s3.get("Master_Port")).isEqualTo(String.valueOf(sb.node(1).port()));
        assertThat(s3.get("Slave_IO_Running")).isEqualTo("No");
        assertThat(s3.get("Slave_SQL_Running")).isEqualTo("No");
        assertThat(sb.value(3, "SELECT @@read_only")).isEqualTo("1");
        assertThat(rows(sb, 2)).isEqualTo(20);
        Map<String, String> s4 = replicaStatus(sb, 4).orElseThrow();
        assertThat(s4.get("Master_Port")).isEqualTo(String.valueOf(sb.node(2).port()));
        assertThat(s4.get("Slave_SQL_Running")).isEqualTo("Yes");
        insert(sb, 2, "c", 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 4) == 25);
        assertThat(digest(sb, 4)).isEqualTo(digest(sb, 2));
    }

    /**
     * MHA's ignore_fail contract: a replica whose SQL thread failed before the failover refuses it (nothing changes)
     * unless it has ignore_fail=1; then the failover goes on without it and exits 10, as MHA's does.
     */
    @org.junit.jupiter.api.Test
    void aReplicaBrokenBeforeTheFailoverRefusesItUnlessIgnoreFail() throws Exception {
        up(true);
        sb.exec(3, "SET sql_log_bin=0", "INSERT INTO t.a VALUES (5, 'local')", "SET sql_log_bin=1");
        insert(sb, 1, "a", 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 2) == 10
                && "No".equals(replicaStatus(sb, 3).orElseThrow().get("Slave_SQL_Running")));
        sb.killNode(1);

        Cli.Run refused = failover();
        assertThat(refused.rc()).as(refused.out()).isEqualTo(1);
        assertThat(refused.out()).contains("server3").contains("1062").contains("ignore_fail=1");
        assertThat(sb.value(2, "SELECT @@read_only")).isEqualTo("1");
        assertThat(replicaStatus(sb, 2).orElseThrow().get("Slave_SQL_Running")).isEqualTo("Yes");

        java.nio.file.Files.writeString(sb.configFile(), java.nio.file.Files.readString(sb.configFile()).replace("[server3]\n", "[server3]\nignore_fail=1\n"));
        Cli.Run r = failover("--ignore_last_failover");
        assertThat(r.rc()).as(r.out()).isEqualTo(10);
        assertThat(r.out()).contains("ignore_fail=1").contains("left out");
        assertThat(sb.value(2, "SELECT @@read_only")).isEqualTo("0");
        assertThat(replicaStatus(sb, 3).orElseThrow().get("Master_Port")).isEqualTo(String.valueOf(sb.node(1).port()));
    }

    /**
     * node1 master of node2..node4; node4 stops receiving after 10 rows, the others get 35; the given latest replicas
     * purge their relay logs on the way (relay_log_purge=1 removes a relay log once the SQL thread is a file past it).
     */
    private void laggingReplicaAndPurgedLatest(int[] purging, String binlogFormat) throws Exception {
        up(false, 4);
        for (int node = 1; node <= 4; node++) sb.exec(node, "SET GLOBAL binlog_format=" + binlogFormat);
        insert(sb, 1, "a", 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 4) == 10);
        sb.exec(4, "STOP SLAVE IO_THREAD");
        insert(sb, 1, "b", 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 2) == 30 && rows(sb, 3) == 30);
        for (int node : purging) sb.exec(node, "SET GLOBAL relay_log_purge=1", "FLUSH RELAY LOGS");
        insert(sb, 1, "c", 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 2) == 33 && rows(sb, 3) == 33);
        for (int node : purging) sb.exec(node, "FLUSH RELAY LOGS");
        insert(sb, 1, "d", 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 2) == 35 && rows(sb, 3) == 35);
        sb.killNode(1);
    }

    /** MHA promotes the one candidate_master=1 although it lags and the first latest replica purged: so does MHA4J. */
    @org.junit.jupiter.api.Test
    void aLaggingCandidateMasterIsPromotedWithItsDifferenceFromAnotherLatestReplica() throws Exception {
        laggingReplicaAndPurgedLatest(new int[]{2}, "MIXED");
        java.nio.file.Files.writeString(sb.configFile(), java.nio.file.Files.readString(sb.configFile()).replace("candidate_master=1\n", "")
                .replace("[server4]\n", "[server4]\ncandidate_master=1\n"));

        Cli.Run r = failover();

        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(sb.value(4, "SELECT @@read_only")).isEqualTo("0");
        assertThat(rows(sb, 4)).isEqualTo(35);
        for (int node : new int[]{2, 3}) {
            assertThat(replicaStatus(sb, node).orElseThrow().get("Master_Port")).isEqualTo(String.valueOf(sb.node(4).port()));
            assertThat(digest(sb, node)).isEqualTo(digest(sb, 4));
        }
    }

    /**
     * File/position: the first latest replica purged its relay logs, another latest one did not. As MHA, the lagging
     * replica gets its difference from whichever latest replica still holds its position; when none does, it is left
     * behind (replication stopped, read-only, exit 10) while the others are recovered.
     */
    @ParameterizedTest(name = "every latest replica purged: {0}, binlog_format={1}")
    @CsvSource({"false,MIXED", "true,MIXED", "false,ROW"})
    void aLaggingReplicaGetsItsDifferenceFromAnyLatestReplicaThatHasIt(boolean allPurged, String binlogFormat) throws Exception {
        laggingReplicaAndPurgedLatest(allPurged ? new int[]{2, 3} : new int[]{2}, binlogFormat);

        Cli.Run r = failover();

        assertThat(sb.value(2, "SELECT @@read_only")).isEqualTo("0");
        Map<String, String> s4 = replicaStatus(sb, 4).orElseThrow();
        if (!allPurged) {
            assertThat(r.rc()).as(r.out()).isZero();
            assertThat(s4.get("Master_Port")).isEqualTo(String.valueOf(sb.node(2).port()));
            assertThat(rows(sb, 4)).isEqualTo(35);
            assertThat(digest(sb, 4)).isEqualTo(digest(sb, 2));
        } else {
            assertThat(r.rc()).as(r.out()).isEqualTo(10);
            assertThat(r.out()).contains("none of the latest replicas has enough relay logs to recover server4");
            assertThat(s4.get("Master_Port")).isEqualTo(String.valueOf(sb.node(1).port()));
            assertThat(s4.get("Slave_SQL_Running")).isEqualTo("No");
            assertThat(sb.value(4, "SELECT @@read_only")).isEqualTo("1");
        }
        assertThat(replicaStatus(sb, 3).orElseThrow().get("Master_Port")).isEqualTo(String.valueOf(sb.node(2).port()));
        assertThat(digest(sb, 3)).isEqualTo(digest(sb, 2));
    }

    /**
     * Four tiers with multi_tier_slave=1: M -> S1 -> S2 -> S3, and M -> S4. As MHA: checked OK, failed over to S1, S4
     * re-pointed to it, S2 and S3 left replicating where they were (unmanaged), every server with the same rows. A
     * writable intermediate master is refused, as MHA refuses two writable masters.
     */
    @org.junit.jupiter.api.Test
    void fourTiersWithMultiTierSlaveFailOverToTheFirstTier() throws Exception {
        up(true, 5);
        java.nio.file.Files.writeString(sb.configFile(), java.nio.file.Files.readString(sb.configFile())
                .replace("[server default]\n", "[server default]\nmulti_tier_slave=1\n"));
        insert(sb, 1, "a", 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 5) == 10 && rows(sb, 4) == 10 && rows(sb, 3) == 10);
        sb.exec(3, "STOP SLAVE", "CHANGE MASTER TO MASTER_PORT=" + sb.node(2).port(), "START SLAVE");  // S2 under S1
        sb.exec(4, "STOP SLAVE", "CHANGE MASTER TO MASTER_PORT=" + sb.node(3).port(), "START SLAVE");  // S3 under S2
        insert(sb, 1, "b", 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 4) == 20 && rows(sb, 5) == 20);
        Cli.Run check = Cli.run("masterha_check_repl", "--conf=" + sb.configFile(), global());
        assertThat(check.out()).as(check.out()).contains("MySQL Replication Health is OK.");

        sb.exec(3, "SET GLOBAL read_only=0");
        assertThat(Cli.run("masterha_check_repl", "--conf=" + sb.configFile(), global()).out())
                .contains("server3").contains("intermediate master").contains("writable");
        sb.exec(3, "SET GLOBAL read_only=1");

        sb.killNode(1);
        Cli.Run r = failover();

        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(sb.value(2, "SELECT @@read_only")).isEqualTo("0");
        assertThat(replicaStatus(sb, 5).orElseThrow().get("Master_Port")).isEqualTo(String.valueOf(sb.node(2).port()));
        assertThat(replicaStatus(sb, 3).orElseThrow().get("Master_Port")).isEqualTo(String.valueOf(sb.node(2).port()));
        assertThat(replicaStatus(sb, 4).orElseThrow().get("Master_Port")).isEqualTo(String.valueOf(sb.node(3).port()));
        insert(sb, 2, "c", 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 4) == 25 && rows(sb, 5) == 25);
        for (int node : new int[]{3, 4, 5}) assertThat(digest(sb, node)).isEqualTo(digest(sb, 2));
    }

    /** MHA's use_gtid_auto_pos=0: file and position although every replica uses GTID; the replicas are re-pointed by position. */
    @org.junit.jupiter.api.Test
    void useGtidAutoPosZeroFailsOverByFileAndPosition() throws Exception {
        up(true);
        java.nio.file.Files.writeString(sb.configFile(), java.nio.file.Files.readString(sb.configFile())
                .replace("[server default]\n", "[server default]\nuse_gtid_auto_pos=0\n"));
        insert(sb, 1, "a", 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 2) == 20 && rows(sb, 3) == 20);
        sb.killNode(1);

        Cli.Run r = failover();

        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("Starting Non-GTID based failover");
        Map<String, String> s3 = replicaStatus(sb, 3).orElseThrow();
        assertThat(s3.get("Master_Port")).isEqualTo(String.valueOf(sb.node(2).port()));
        assertThat(s3.get("Using_Gtid")).isEqualTo("No");
        insert(sb, 2, "b", 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(sb, 3) == 23);
        assertThat(digest(sb, 3)).isEqualTo(digest(sb, 2));
    }
}
