package org.mha4j.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;

/** The node tools by hand, as an operator or cron runs them, on a real replica without GTID. */
class NodeToolsIT extends SandboxTest {

    private List<String> relayLogs(int node) throws Exception {
        try (Stream<Path> s = Files.list(sb.node(node).dir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("relaylog\\.\\d+")).sorted().toList();
        }
    }

    @Test
    void purgeRelayLogsRemovesExecutedRelayLogsWhileTheSqlThreadKeepsRunning() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 2, 0).positionReplication().up();
        sb.exec(1, "CREATE DATABASE t", "CREATE TABLE t.a (id INT AUTO_INCREMENT PRIMARY KEY, v INT)");
        for (int i = 0; i < 4; i++) {
            sb.exec(1, "INSERT INTO t.a(v) VALUES (" + i + ")");
            sb.exec(2, "FLUSH RELAY LOGS");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "4".equals(value(2, "SELECT COUNT(*) FROM t.a")));
        List<String> before = relayLogs(2);
        assertThat(before.size()).as("relay_log_purge=0 keeps them: " + before).isGreaterThanOrEqualTo(5);
        assertThat(value(2, "SELECT @@relay_log_purge")).isEqualTo("0");

        Path cnf = tmp.resolve("client.cnf");
        Files.writeString(cnf, "[client]\nuser=" + Sandbox.ADMIN_USER + "\npassword=\"" + sb.adminPassword() + "\"\n");
        Files.setPosixFilePermissions(cnf, PosixFilePermissions.fromString("rw-------"));

        // a writer and a watcher of the SQL thread for as long as the purge runs
        AtomicBoolean purging = new AtomicBoolean(true);
        AtomicInteger sqlStopped = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        Thread watcher = Thread.ofVirtual().start(() -> {
            try (Connection c = sb.connect(2); Connection m = sb.connect(1); Statement st = c.createStatement(); Statement w = m.createStatement()) {
                while (purging.get()) {
                    w.executeUpdate("INSERT INTO t.a(v) VALUES (100)");
                    written.incrementAndGet();
                    try (ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                        rs.next();
                        if (!"Yes".equals(rs.getString("Slave_SQL_Running"))) sqlStopped.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                sqlStopped.addAndGet(1000);
            }
        });
        Cli.Run r = Cli.run("purge_relay_logs", "--defaults_file=" + cnf, "--port=" + sb.node(2).port(), "--workdir=" + tmp.resolve("work"));
        purging.set(false);
        watcher.join();
        assertThat(r.rc()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("purged").contains("relay_log_purge is 0");
        assertThat(sqlStopped.get()).as("the SQL thread was seen stopped").isZero();
        assertThat(written.get()).isPositive();

        List<String> after = relayLogs(2);
        assertThat(after).doesNotContainAnyElementsOf(before.subList(0, before.size() - 1));
        assertThat(value(2, "SELECT @@relay_log_purge")).isEqualTo("0");
        assertThat(tmp.resolve("work")).isEmptyDirectory();
        int total = 4 + written.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.toString(total).equals(value(2, "SELECT COUNT(*) FROM t.a")));

        // the relay logs left have no Rotate event from the master; a difference can still be built from them
        String from = value(1, "SHOW MASTER STATUS");
        String fromPos;
        try (Connection c = sb.connect(1)) {
            fromPos = org.mha4j.topology.Db.query(c, "SHOW MASTER STATUS").getFirst().get("Position");
        }
        sb.exec(1, "INSERT INTO t.a(v) VALUES (7)", "INSERT INTO t.a(v) VALUES (8)");
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.toString(total + 2).equals(value(2, "SELECT COUNT(*) FROM t.a")));
        java.util.Map<String, String> st;
        try (Connection c = sb.connect(2)) {
            st = org.mha4j.topology.Db.query(c, "SHOW SLAVE STATUS").getFirst();
        }
        Cli.Run gen = Cli.run("apply_diff_relay_logs", "--command=generate", "--relay_dir=" + sb.node(2).dir(),
                "--current_relay_log=" + st.get("Relay_Log_File"), "--server_id=" + value(2, "SELECT @@server_id"),
                "--latest_mlf=" + st.get("Master_Log_File"), "--latest_rmlp=" + st.get("Read_Master_Log_Pos"),
                "--target_mlf=" + from, "--target_rmlp=" + fromPos, "--diff_file_readtolatest=" + tmp.resolve("diff.binlog"));
        assertThat(gen.rc()).as(gen.out() + gen.err()).isZero();
        assertThat(gen.out()).contains("events").contains("from master position " + from + ":" + fromPos);
        // two one-row transactions: Gtid, Annotate_rows, Table_map, Write_rows, Xid each
        assertThat(gen.out()).contains(": 10 events");
    }

    @Test
    void saveBinaryLogsCutsATornEventAndTheResultReplaysOnAnotherServer() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 2, 0).positionReplication().up();
        sb.exec(2, "STOP SLAVE");
        sb.exec(1, "CREATE DATABASE t", "CREATE TABLE t.a (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "INSERT INTO t.a(v) VALUES (1)", "INSERT INTO t.a(v) VALUES (2)", "INSERT INTO t.a(v) VALUES (3)");
        Path binlogs = tmp.resolve("copy");
        Files.createDirectories(binlogs);
        String startFile;
        try (Stream<Path> s = Files.list(sb.node(1).binlogDir())) {
            List<Path> files = s.filter(p -> p.getFileName().toString().matches("binlog\\.\\d+")).sorted().toList();
            for (Path f : files) Files.copy(f, binlogs.resolve(f.getFileName()));
            startFile = files.getFirst().getFileName().toString();
        }
        Path last;
        try (Stream<Path> s = Files.list(binlogs)) {
            last = s.sorted().toList().getLast();
        }
        byte[] b = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(b, b.length - 3));

        Cli.Run test = Cli.run("save_binary_logs", "--command=test", "--start_file=" + startFile, "--binlog_dir=/nonexistent," + binlogs);
        assertThat(test.rc()).as(test.err()).isZero();
        assertThat(test.out()).contains("Binlog found at " + binlogs);
        Cli.Run missing = Cli.run("save_binary_logs", "--command=test", "--start_file=" + startFile, "--binlog_dir=/nonexistent");
        assertThat(missing.rc()).isEqualTo(1);
        assertThat(missing.err()).contains("Binlog not found from /nonexistent").contains("master_binlog_dir");

        Path out = tmp.resolve("saved.binlog");
        Cli.Run save = Cli.run("save_binary_logs", "--command=save", "--start_file=" + startFile, "--start_pos=4",
                "--binlog_dir=" + binlogs, "--output_file=" + out);
        assertThat(save.rc()).as(save.err()).isZero();
        assertThat(save.out()).contains("[warning]").contains("the last event is cut");

        // node2 stopped before any of it: it replays the saved events and holds the two whole transactions
        String pw = sb.adminPassword();
        Process p = new ProcessBuilder(sb.nodeBindir().resolve("apply_diff_relay_logs").toString(), "--command=apply",
                "--apply_files=" + out, "--slave_user=" + Sandbox.ADMIN_USER, "--slave_pass_stdin", "--slave_host=127.0.0.1",
                "--slave_port=" + sb.node(2).port(), "--workdir=" + tmp.resolve("work")).redirectErrorStream(true).start();
        p.getOutputStream().write((pw + "\n").getBytes());
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).contains("Applied");
        assertThat(value(2, "SELECT GROUP_CONCAT(v ORDER BY id) FROM t.a")).isEqualTo("1,2");
    }

    /** Agentless: check_repl reads the master's binlog and each replica's relay logs over SFTP, and finds the client programs. */
    @Test
    void checkReplReadsTheLogsOverSftpOnEveryHostOfAClusterWithoutGtid() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).positionReplication().up();
        Path global = Files.writeString(tmp.resolve("g.cnf"), "");
        Cli.Run ok = Cli.run("masterha_check_repl", "--conf=" + sb.configFile(), "--global_conf=" + global);
        assertThat(ok.rc()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("readable over SFTP in " + sb.node(1).binlogDir())
                .contains("relay log(s) readable over SFTP in " + sb.node(3).dir()).contains("client programs /usr/bin/mariadb-binlog");

        String conf = Files.readString(sb.configFile());
        Files.writeString(sb.configFile(), conf.replace("master_binlog_dir=" + sb.node(1).binlogDir(), "master_binlog_dir=/nonexistent")
                .replace("[server3]\n", "[server3]\nclient_bindir=/opt/nowhere\n"));
        Cli.Run bad = Cli.run("masterha_check_repl", "--conf=" + sb.configFile(), "--global_conf=" + global);
        assertThat(bad.rc()).isNotZero();
        assertThat(bad.out()).contains("cannot be read over SFTP").contains("Binlog not found from /nonexistent")
                .contains("neither mariadb-binlog nor mysqlbinlog found in client_bindir /opt/nowhere")
                .contains("MySQL Replication Health is NOT OK!");
    }
}
