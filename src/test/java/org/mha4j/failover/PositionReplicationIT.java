package org.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;

import static org.awaitility.Awaitility.await;

/**
 * MHA's file/position paths on real MariaDB servers replicating without GTID: failovers with a replica behind the
 * other, the dead master's binlog tail saved over SSH (with its last event torn, as a crash leaves it) or lost with its
 * host; and an online switch under writers.
 */
class PositionReplicationIT extends SandboxTest {

    private void insert(int node, String prefix, int rows) {
        String[] sql = new String[rows];
        for (int i = 0; i < rows; i++) sql[i] = "INSERT INTO t.a(v) VALUES ('" + prefix + i + "')";
        sb.exec(node, sql);
    }

    private int rows(int node) throws SQLException {
        return Integer.parseInt(value(node, "SELECT COUNT(*) FROM t.a"));
    }

    /** The rows a server holds, as one digest: two servers agree on every row, not just on a count. */
    private String digest(int node) throws SQLException {
        return value(node, "SELECT MD5(GROUP_CONCAT(id, v ORDER BY id)) FROM t.a");
    }

    /**
     * node1 master; node3 stops receiving after 100 rows, node2 after 250 (across a relay-log and a binlog rotation);
     * the master alone then writes 30 more. Semi-sync is off, as on a master that fell back to asynchronous.
     */
    private void laggingReplicasAndAMasterOnlyTail() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).positionReplication().up();
        sb.exec(1, "SET GLOBAL rpl_semi_sync_master_enabled=0", "CREATE DATABASE t",
                "CREATE TABLE t.a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB");
        insert(1, "a", 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(3) == 100 && rows(2) == 100);
        sb.exec(3, "STOP SLAVE IO_THREAD");
        insert(1, "b", 100);
        sb.exec(2, "FLUSH RELAY LOGS");
        sb.exec(1, "FLUSH BINARY LOGS");
        insert(1, "c", 50);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(2) == 250);
        sb.exec(2, "STOP SLAVE IO_THREAD");
        insert(1, "d", 30);
        assertThat(rows(1)).isEqualTo(280);
        assertThat(rows(3)).isEqualTo(100);
    }

    private Cli.Run failover(String... extra) throws IOException {
        String[] base = {"masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=dead",
                "--dead_master_host=127.0.0.1", "--dead_master_port=" + sb.node(1).port(), "--interactive=0", "--ignore_last_failover"};
        String[] all = Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
        return Cli.run(all);
    }

    private void editConfig(String after, String insert) throws IOException {
        String c = Files.readString(sb.configFile());
        Files.writeString(sb.configFile(), c.replaceFirst(java.util.regex.Pattern.quote(after), after + insert));
    }

    /** The master's newest binlog loses its last bytes: a write the crash cut short. */
    private void tearLastBinlogEvent(int bytes) throws IOException {
        Path last;
        try (Stream<Path> s = Files.list(sb.node(1).binlogDir())) {
            last = s.filter(p -> p.getFileName().toString().matches("binlog\\.\\d+")).max(Comparator.naturalOrder()).orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - bytes);
        }
    }

    @Test
    void theLaggingReplicaPromotedGetsEveryEventTheOthersAndTheDeadMastersDiskHad() throws Exception {
        laggingReplicasAndAMasterOnlyTail();
        String masterDigestBeforeTheLastRow = value(1, "SELECT MD5(GROUP_CONCAT(id, v ORDER BY id)) FROM t.a WHERE id < 280");
        sb.killNode(1);
        tearLastBinlogEvent(5);
        // node3 is two binlog files behind the latest replica; check_repl_delay=0 lets it be promoted all the same
        editConfig("ping_interval=1\n", "check_repl_delay=0\n");
        Cli.Run r = failover("--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(3).port());
        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Starting Non-GTID based failover")
                .contains("Saved the dead master's binlog events after binlog.000002:")
                .contains("the last event is cut")
                .contains("Master failover to 127.0.0.1(127.0.0.1:" + sb.node(3).port() + ") completed successfully.");
        assertThat(r.out() + r.err()).as("no password in the log").doesNotContain(sb.adminPassword()).doesNotContain(sb.replPassword());
        // the torn last transaction (its commit event cut) is not applied; every whole one is, on both servers
        assertThat(rows(3)).isEqualTo(279);
        assertThat(rows(2)).isEqualTo(279);
        assertThat(digest(3)).isEqualTo(masterDigestBeforeTheLastRow).isEqualTo(digest(2));
        assertThat(value(3, "SELECT @@read_only")).isEqualTo("0");
        insert(3, "after", 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(2) == 284);
        assertThat(value(2, "SELECT @@read_only")).isEqualTo("1");
    }

    @Test
    void withTheDeadMastersHostGoneTheLatestIsPromotedAndTheOtherReplicaCatchesUp() throws Exception {
        laggingReplicasAndAMasterOnlyTail();
        sb.killNode(1);
        editConfig("[server1]\n", "ssh_port=1\n");
        Cli.Run r = failover();
        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("latest replica: server2").contains("does not answer SSH")
                .contains("Master failover to 127.0.0.1(127.0.0.1:" + sb.node(2).port() + ") completed successfully.");
        assertThat(rows(2)).isEqualTo(250);
        assertThat(rows(3)).isEqualTo(250);
        assertThat(digest(3)).isEqualTo(digest(2));
        insert(2, "after", 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(3) == 253);
    }

    @Test
    void skipSaveMasterBinlogLeavesTheDeadMastersTailAlone() throws Exception {
        laggingReplicasAndAMasterOnlyTail();
        sb.killNode(1);
        Cli.Run r = failover("--skip_save_master_binlog");
        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("--skip_save_master_binlog: transactions the dead master committed after binlog.000002:")
                .doesNotContain("save_binary_logs --command=save");
        assertThat(rows(2)).isEqualTo(250);
        assertThat(rows(3)).isEqualTo(250);
    }

    @Test
    void aCandidateWhosePositionThePurgedRelayLogsLackIsPassedOverAndReportedUnrecovered() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).positionReplication().up();
        sb.exec(1, "SET GLOBAL rpl_semi_sync_master_enabled=0", "CREATE DATABASE t",
                "CREATE TABLE t.a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB");
        insert(1, "a", 50);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(3) == 50 && rows(2) == 50);
        sb.exec(3, "STOP SLAVE IO_THREAD");
        sb.exec(2, "FLUSH RELAY LOGS");
        insert(1, "b", 50);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(2) == 100);
        // the latest replica's relay logs holding node3's position are purged (by purge_relay_logs here, as
        // relay_log_purge=1 would do); what is left has no Rotate event from the master at all
        Path cnf = tmp.resolve("client.cnf");
        Files.writeString(cnf, "[client]\nuser=" + Sandbox.ADMIN_USER + "\npassword=\"" + sb.adminPassword() + "\"\n");
        Cli.Run purge = Cli.run("purge_relay_logs", "--defaults_file=" + cnf, "--port=" + sb.node(2).port(), "--workdir=" + tmp.resolve("w"));
        assertThat(purge.rc()).as(purge.out() + purge.err()).isZero();
        insert(1, "c", 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(2) == 110);
        // node3 is the only candidate_master: the planner chooses it first
        String conf = Files.readString(sb.configFile());
        int at = conf.indexOf("[server2]");
        Files.writeString(sb.configFile(), conf.substring(0, at) + conf.substring(at).replaceFirst("candidate_master=1", "candidate_master=0"));
        sb.killNode(1);
        Cli.Run r = failover();
        assertThat(r.rc()).as(r.out() + r.err()).isEqualTo(10);
        assertThat(r.out()).contains("server3 (127.0.0.1:" + sb.node(3).port() + ") chosen: the first replica with candidate_master=1")
                .contains("is no longer in server2").contains("choosing another new master")
                .contains("Master failover to 127.0.0.1(127.0.0.1:" + sb.node(2).port() + ") done, but recovery on slave partially failed");
        assertThat(rows(2)).isEqualTo(110);
        assertThat(value(2, "SELECT @@read_only")).isEqualTo("0");
    }

    @Test
    void withoutTheClientProgramsOnAReplicasHostTheFailoverIsRefusedBeforeAnythingChanges() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).positionReplication().up();
        sb.killNode(1);
        editConfig("[server3]\n", "client_bindir=/opt/nowhere\n");
        Cli.Run r = failover();
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains("Failover refused").contains("neither mariadb-binlog nor mysqlbinlog found in client_bindir /opt/nowhere")
                .contains("on 127.0.0.1");
        // refused in phase 1: the replicas still point at the dead master, their IO threads untouched, no error file
        for (int node : new int[]{2, 3}) {
            try (java.sql.Connection c = sb.connect(node)) {
                java.util.Map<String, String> st = org.mha4j.topology.Db.query(c, "SHOW SLAVE STATUS").getFirst();
                assertThat(st.get("Master_Port")).isEqualTo(Integer.toString(sb.node(1).port()));
                assertThat(st.get("Slave_IO_Running")).as("phase 2 never ran").isEqualTo("Connecting");
            }
        }
        assertThat(tmp.resolve("sb/manager/app1.failover.error")).doesNotExist();
    }

    /**
     * Issue 17: agentless. The database "hosts" have no MHA4J node tools (no node_bindir, none in the PATH of their SSH
     * sessions): the manager reads the dead master's binlog and the latest replica's relay logs over SFTP and the
     * replicas' hosts apply the events with their own mariadb-binlog | mariadb.
     */
    @Test
    void aFailoverWithoutGtidNeedsNothingOfMha4jOnTheDatabaseHosts() throws Exception {
        laggingReplicasAndAMasterOnlyTail();
        String masterDigest = value(1, "SELECT MD5(GROUP_CONCAT(id, v ORDER BY id)) FROM t.a");
        sb.killNode(1);
        assertThat(Files.readString(sb.configFile())).doesNotContain("node_bindir");
        editConfig("ping_interval=1\n", "check_repl_delay=0\n");
        Cli.Run r = failover("--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(3).port());
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("over SFTP").doesNotContain("save_binary_logs").doesNotContain("apply_diff_relay_logs");
        assertThat(rows(3)).isEqualTo(280);
        assertThat(rows(2)).isEqualTo(280);
        assertThat(digest(3)).isEqualTo(masterDigest).isEqualTo(digest(2));
    }

    @Test
    void onlineSwitchWithoutGtidUnderWritersLosesNothingAndEveryoneFollows() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).positionReplication().up();
        try (java.sql.Connection c = sb.connect(1)) {
            org.mha4j.bench.LoadWriter.createTable(c);
        }
        java.util.List<Integer> ports = sb.nodes().stream().map(n -> n.port()).toList();
        org.mha4j.bench.LoadWriter writer = org.mha4j.bench.LoadWriter.following("127.0.0.1", ports, Sandbox.ADMIN_USER, sb.adminPassword(), 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged() >= 300);
        Cli.Run r = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(), "--orig_master_is_new_slave", "--interactive=0");
        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("its last transactions: binlog position binlog.").contains("MASTER_USE_GTID=no");
        int after = writer.acknowledged();
        await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged() >= after + 300);
        writer.close();
        String table = org.mha4j.bench.LoadWriter.TABLE;
        await().atMost(Duration.ofSeconds(20)).until(() -> value(1, "SELECT COUNT(*) FROM " + table).equals(value(2, "SELECT COUNT(*) FROM " + table))
                && value(3, "SELECT COUNT(*) FROM " + table).equals(value(2, "SELECT COUNT(*) FROM " + table)));
        for (int node = 1; node <= 3; node++) {
            try (java.sql.Connection c = sb.connect(node)) {
                assertThat(writer.missingOn(c)).as("acknowledged but missing on node %d", node).isEmpty();
            }
            if (node != 2) {
                assertThat(value(node, "SELECT @@read_only")).isEqualTo("1");
                try (java.sql.Connection c = sb.connect(node)) {
                    java.util.Map<String, String> st = org.mha4j.topology.Db.query(c, "SHOW SLAVE STATUS").getFirst();
                    assertThat(st.get("Master_Port")).isEqualTo(Integer.toString(sb.node(2).port()));
                    assertThat(st.get("Using_Gtid")).isEqualTo("No");
                }
            }
        }
    }
}
