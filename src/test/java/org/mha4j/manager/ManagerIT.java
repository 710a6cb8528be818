package org.mha4j.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mha4j.bench.LoadWriter;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigLoader;
import org.mha4j.failover.FailoverOptions;
import org.mha4j.failover.FailoverRunner;
import org.mha4j.monitor.StatusFile;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.Ledger;
import org.mha4j.testing.TestTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** masterha_manager against real servers: a crash under write load (a cut link that must not cause a failover: PartitionIT). */
@Tag("integration")
class ManagerIT {

    @TempDir
    Path tmp;
    Sandbox sb;
    Thread managerThread;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger managerExit = new AtomicInteger(-1);

    @AfterEach
    void down() throws InterruptedException {
        stop.set(true);
        if (managerThread != null) managerThread.join(15_000);
        if (sb != null) sb.down();
    }

    private Path global() throws IOException {
        return Files.writeString(tmp.resolve("g.cnf"), "");
    }

    private void startManager(Path conf, boolean exitAfterFailover) throws IOException {
        Manager.Options o = new Manager.Options(conf, global(), false, false, 480, false, 0, 0, exitAfterFailover,
                FailoverOptions.DEFAULT, Duration.ofSeconds(60));
        managerThread = Thread.ofPlatform().start(() -> managerExit.set(new Manager(o, stop).run()));
    }

    private String value(int node, String sql) throws SQLException {
        return sb.value(node, sql);
    }

    private boolean writable(int node) throws SQLException {
        return "0".equals(value(node, "SELECT @@read_only")) && !isReplica(node);
    }

    private boolean isReplica(int node) throws SQLException {
        try (Connection c = sb.connect(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next();
        }
    }

    /** A shell script that appends its arguments (and whether it got the password in its environment) to a file. */
    private Path recorder(String name, int exit) throws IOException {
        Path log = tmp.resolve(name + ".calls");
        Path script = tmp.resolve(name + ".sh");
        // --command=status answers 0, as a working script does (anything else stops the manager's start)
        Files.writeString(script, "#!/bin/sh\necho \"$@ env_password_set=${MHA_NEW_MASTER_PASSWORD:+yes}\" >> " + log
                + "\ncase \"$*\" in *--command=status*) exit 0;; esac\nexit " + exit + "\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private List<String> calls(String name) throws IOException {
        Path f = tmp.resolve(name + ".calls");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    @Test
    void masterKilledUnderWriteLoadLosesNoAcknowledgedTransaction() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 4, 0).up();
        Path conf = tmp.resolve("app1.conf");
        // passwords only in the hooks' environment (MHA's command-line way: HookContractIT)
        String text = Files.readString(sb.configFile()).replace("[server default]", "[server default]\nhook_password_mode=env\n"
                + "master_ip_failover_script=\"" + recorder("ip", 0) + " 10.1.1.100 1\"\n"
                + "shutdown_script=" + recorder("shutdown", 10) + "\n"
                + "report_script=" + recorder("report", 0));
        // server2 may never be master: the manager must promote server3 or server4 and re-point the two others under
        // it; one possible master remains, so the manager can go on watching the new master afterwards
        text = text.replace("[server2]\n", "[server2]\nno_master=1\n");
        Files.writeString(conf, text);
        try (Connection c = sb.connect(1)) {
            LoadWriter.createTable(c);
        }

        startManager(conf, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> Cli.run("masterha_check_status", "--conf=" + conf,
                "--global_conf=" + global()).out().contains("is running(0:PING_OK)"));

        // Writers commit on the master and record an id only once COMMIT returned: the acknowledgement ledger.
        LoadWriter writer = new LoadWriter("127.0.0.1", sb.node(1).port(), Sandbox.ADMIN_USER, sb.adminPassword(), 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged() >= 200);
        sb.killNode(1);
        writer.close();
        System.out.println("acknowledged before the crash: " + writer.acknowledged());

        // server2 (no_master) is never promoted; server3 or server4, whichever received the most (ties: config order)
        await().atMost(Duration.ofSeconds(40)).until(() -> (writable(3) || writable(4)));
        int nm = writable(3) ? 3 : 4;
        int[] replicas = nm == 3 ? new int[]{2, 4} : new int[]{2, 3};
        for (int node : replicas) {
            await().atMost(Duration.ofSeconds(20)).until(() -> isReplica(node)
                    && value(node, "SELECT COUNT(*) FROM " + LoadWriter.TABLE).equals(value(nm, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
        }

        for (int node : new int[]{nm, replicas[0], replicas[1]}) {
            try (Connection c = sb.connect(node)) {
                assertThat(writer.missingOn(c)).as("acknowledged but missing on node %d", node).isEmpty();
            }
        }
        for (int node : replicas) {
            assertThat(value(node, "SELECT @@read_only")).isEqualTo("1");
            try (Connection c = sb.connect(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("Master_Port")).isEqualTo(sb.node(nm).port());
                assertThat(rs.getString("Slave_SQL_Running")).isEqualTo("Yes");
            }
        }
        sb.exec(nm, "INSERT INTO " + LoadWriter.TABLE + " (id, writer) VALUES (-1, -1)");  // the new master takes writes

        int p1 = sb.node(1).port();
        int p3 = sb.node(nm).port();
        // MHA's status calls at the manager's start (and again when it watches the new master), then the failover's two
        assertThat(calls("ip").getFirst()).startsWith("10.1.1.100 1 --command=status --ssh_user=");
        assertThat(calls("shutdown").getFirst()).startsWith("--command=status --ssh_user=");
        List<String> ipCalls = calls("ip").stream().filter(l -> !l.contains("--command=status")).toList();
        assertThat(ipCalls).hasSize(2);
        assertThat(ipCalls.get(0)).startsWith("10.1.1.100 1 --orig_master_host=127.0.0.1 --orig_master_ip=127.0.0.1 --orig_master_port=" + p1
                + " --command=stopssh --ssh_user=");
        assertThat(ipCalls.get(1)).startsWith("10.1.1.100 1 --command=start --ssh_user=")
                .contains("--orig_master_host=127.0.0.1 --orig_master_ip=127.0.0.1 --orig_master_port=" + p1
                        + " --new_master_host=127.0.0.1 --new_master_ip=127.0.0.1 --new_master_port=" + p3 + " --new_master_user=mha")
                .endsWith("env_password_set=yes");
        assertThat(calls("shutdown").stream().filter(l -> !l.contains("--command=status"))).singleElement().asString()
                .startsWith("--command=stopssh --ssh_user=")
                .contains("--host=127.0.0.1 --ip=127.0.0.1 --port=" + p1 + " --pid_file=" + sb.node(1).pidFile());
        // the report body spans several lines, as MHA's mail body does
        assertThat(String.join("\n", calls("report"))).startsWith("--orig_master_host=127.0.0.1 --new_master_host=127.0.0.1"
                + " --new_slave_hosts=127.0.0.1,127.0.0.1 --conf=" + conf + " --subject=app1: MySQL Master failover")
                .contains("succeeded --body=Master 127.0.0.1(127.0.0.1:" + p1 + ") is down!")
                .contains("Master failover to 127.0.0.1(127.0.0.1:" + p3 + ") completed successfully.")
                // detection=fast (the default): the killed master's port is closed, so the first failed check is enough
                .contains("is down after 1 failed check(s): its host refuses connections to its port");
        for (String n : List.of("ip", "shutdown", "report")) {
            calls(n).forEach(line -> assertThat(line).doesNotContain(sb.adminPassword()).doesNotContain(sb.replPassword()));
        }
        assertThat(Path.of(tmp.resolve("sb/manager").toString(), "app1.failover.complete")).exists();
        // the manager goes on monitoring the new master
        await().atMost(Duration.ofSeconds(20)).until(() -> Cli.run("masterha_check_status", "--conf=" + conf,
                "--global_conf=" + global()).out().contains("is running(0:PING_OK)"));
    }

    /**
     * Issue 15: a second manager of the same application is refused, on this host (file lock) and on another one (MHA's
     * lock on the master), and leaves the first one's status file alone; an online switch is refused while it watches.
     */
    @Test
    void aSecondManagerOfTheSameApplicationIsRefused() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        startManager(sb.configFile(), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> Cli.run("masterha_check_status", "--conf=" + sb.configFile(),
                "--global_conf=" + global()).out().contains("is running(0:PING_OK)"));
        Manager.Options same = new Manager.Options(sb.configFile(), global(), false, false, 480, false, 0, 0, false,
                FailoverOptions.DEFAULT, Duration.ofSeconds(60));
        assertThat(new Manager(same, new AtomicBoolean()).run()).isEqualTo(1);

        Path otherHost = tmp.resolve("other-host.conf");
        Files.writeString(otherHost, Files.readString(sb.configFile()).replace(tmp.resolve("sb/manager").toString(), tmp.resolve("other-host").toString()));
        Manager.Options other = new Manager.Options(otherHost, global(), false, false, 480, false, 0, 0, false,
                FailoverOptions.DEFAULT, Duration.ofSeconds(60));
        assertThat(new Manager(other, new AtomicBoolean()).run()).isEqualTo(1);

        for (Path conf : List.of(sb.configFile(), otherHost)) {  // its status file here, its lock on the master from elsewhere
            Cli.Run sw = Cli.run("masterha_master_switch", "--conf=" + conf, "--global_conf=" + global(), "--master_state=alive",
                    "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(), "--interactive=0");
            assertThat(sw.rc()).isEqualTo(1);
            assertThat(sw.out()).contains("masterha_stop").contains(conf == otherHost ? "MHA_Master_High_Availability_Monitor" : "masterha_manager runs");
        }
        assertThat(writable(1)).isTrue();

        assertThat(managerThread.isAlive()).isTrue();
        assertThat(Cli.run("masterha_check_status", "--conf=" + sb.configFile(), "--global_conf=" + global()).out())
                .contains("is running(0:PING_OK)");
        // the first manager still fails over
        sb.killNode(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> writable(2) || writable(3));
    }

    /**
     * Issue 15: a replica paused for a backup (both threads stopped) does not keep the manager from watching, and the
     * failover brings it up to date under the new master, as MHA's manager does.
     */
    @Test
    void aPausedReplicaIsMonitoredAndRecoveredAtTheFailover() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        try (Connection c = sb.connect(1)) {
            LoadWriter.createTable(c);
        }
        sb.exec(1, "INSERT INTO " + LoadWriter.TABLE + " (id) VALUES (1), (2), (3)");
        await().atMost(Duration.ofSeconds(10)).until(() -> "3".equals(value(3, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
        sb.exec(3, "STOP SLAVE");
        sb.exec(1, "INSERT INTO " + LoadWriter.TABLE + " (id) VALUES (4), (5)");
        startManager(sb.configFile(), true);
        await().atMost(Duration.ofSeconds(30)).until(() -> Cli.run("masterha_check_status", "--conf=" + sb.configFile(),
                "--global_conf=" + global()).out().contains("is running(0:PING_OK)"));

        sb.killNode(1);
        managerThread.join(60_000);
        assertThat(managerExit.get()).isZero();
        assertThat(writable(2)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> "5".equals(value(3, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
        try (Connection c = sb.connect(3); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt("Master_Port")).isEqualTo(sb.node(2).port());
            assertThat(rs.getString("Slave_SQL_Running")).isEqualTo("Yes");
        }
    }

    /**
     * Issue 15, MHA's ignore_fail contract at start: the master already dead and an ignore_fail=1 replica down, the
     * manager refuses without --ignore_fail_on_start (nothing changes); with it, it fails over without that replica
     * and exits 10.
     */
    @Test
    void aMasterDeadAtStartWithAnIgnoreFailReplicaDownNeedsIgnoreFailOnStart() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Files.writeString(sb.configFile(), Files.readString(sb.configFile()).replace("[server3]\n", "[server3]\nignore_fail=1\n"));
        sb.stopNode(3);
        sb.killNode(1);
        Manager.Options strict = new Manager.Options(sb.configFile(), global(), false, false, 480, false, 0, 0, true,
                FailoverOptions.DEFAULT, Duration.ofSeconds(60));
        assertThat(new Manager(strict, new AtomicBoolean()).run()).isEqualTo(1);
        assertThat(value(2, "SELECT @@read_only")).isEqualTo("1");

        Manager.Options lenient = new Manager.Options(sb.configFile(), global(), false, false, 480, true, 0, 0, true,
                FailoverOptions.DEFAULT, Duration.ofSeconds(60));
        assertThat(new Manager(lenient, new AtomicBoolean()).run()).isEqualTo(10);
        assertThat(writable(2)).isTrue();
    }

    /**
     * Issue 17: --ignore_last_failover is for the failover the manager was started for. MHA's manager exits after it;
     * MHA4J's goes on watching, and a second failover in the same process is guarded by last_failover_minute again.
     */
    @Test
    void ignoreLastFailoverCoversTheFirstFailoverOnly() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Files.createDirectories(tmp.resolve("sb/manager"));
        Files.writeString(tmp.resolve("sb/manager/app1.failover.complete"), "");  // a failover a moment ago
        Manager.Options o = new Manager.Options(sb.configFile(), global(), false, true, 480, false, 0, 0, false,
                FailoverOptions.DEFAULT, Duration.ofSeconds(60));
        managerThread = Thread.ofPlatform().start(() -> managerExit.set(new Manager(o, stop).run()));
        await().atMost(Duration.ofSeconds(30)).until(() -> Cli.run("masterha_check_status", "--conf=" + sb.configFile(),
                "--global_conf=" + global()).out().contains("is running(0:PING_OK)"));
        sb.killNode(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> writable(2) || writable(3));
        int newMaster = writable(2) ? 2 : 3;
        await().atMost(Duration.ofSeconds(30)).until(() -> Cli.run("masterha_check_status", "--conf=" + sb.configFile(),
                "--global_conf=" + global()).out().contains("is running(0:PING_OK), master:127.0.0.1"));

        sb.killNode(newMaster);
        managerThread.join(60_000);
        assertThat(managerExit.get()).isEqualTo(1);
        int other = newMaster == 2 ? 3 : 2;
        assertThat(isReplica(other)).as("the second failover was refused: the last replica still follows the dead master").isTrue();
        assertThat(value(other, "SELECT @@read_only")).isEqualTo("1");
    }

    @Test
    void aSecondFailoverWithinLastFailoverMinuteIsRefusedUnlessIgnored() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Path conf = sb.configFile();
        Files.createDirectories(tmp.resolve("sb/manager"));
        Files.writeString(tmp.resolve("sb/manager/app1.failover.complete"), "");  // a failover a moment ago
        sb.killNode(1);
        AppConfig app = ConfigLoader.load(conf, global());
        StatusFile status = new StatusFile(tmp.resolve("sb/manager"), "app1");
        FailoverRunner.Result refused = FailoverRunner.run(app, app.first(), new FailoverRunner.Settings(false, Duration.ofMinutes(480),
                false, true, FailoverOptions.DEFAULT, Duration.ofSeconds(30)), status);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", refused.report())).contains("too early to do failover again");
        assertThat(isReplica(2)).isTrue();
        assertThat(isReplica(3)).isTrue();
        assertThat(tmp.resolve("sb/manager/app1.failover.error")).doesNotExist();

        FailoverRunner.Result done = FailoverRunner.run(app, app.first(), new FailoverRunner.Settings(true, Duration.ofMinutes(480),
                true, true, FailoverOptions.DEFAULT, Duration.ofSeconds(30)), status);
        assertThat(done.exitCode()).as(String.join("\n", done.report())).isZero();
        assertThat(done.newMaster().map(c -> c.block())).isEqualTo(Optional.of("server2"));
        assertThat(value(2, "SELECT @@read_only")).isEqualTo("0");
        // --remove_dead_master_conf: the dead master's block is gone, the rest of the file intact
        assertThat(Files.readString(conf)).doesNotContain("[server1]").contains("[server2]").contains("[server3]")
                .contains("# MHA4J sandbox");
    }

    @Test
    void afterAFallbackToAsyncTheDeadMastersBinlogIsSavedOverSshAndApplied() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Ledger.createReplicated(sb);
        // asynchronous replication, and the replicas stop receiving: these commits exist only on the master
        sb.exec(1, "SET GLOBAL rpl_semi_sync_master_enabled=OFF");
        sb.exec(2, "STOP SLAVE IO_THREAD");
        sb.exec(3, "STOP SLAVE IO_THREAD");
        for (int i = 1; i <= 5; i++) sb.exec(1, "INSERT INTO " + LoadWriter.TABLE + " (id, writer) VALUES (" + i + ", 0)");
        sb.killNode(1);
        // the crash tore the last event (the 5th commit's): the saved tail is cut before it, the 4 whole commits applied
        java.nio.file.Path last;
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.list(sb.node(1).binlogDir())) {
            last = files.filter(p -> p.getFileName().toString().matches("binlog\\.\\d+")).max(java.util.Comparator.naturalOrder()).orElseThrow();
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(last, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5);
        }
        AppConfig app = ConfigLoader.load(sb.configFile(), global());
        FailoverRunner.Result r = FailoverRunner.run(app, app.first(), new FailoverRunner.Settings(true, Duration.ofMinutes(480),
                false, false, FailoverOptions.DEFAULT, Duration.ofSeconds(30)), new StatusFile(tmp.resolve("sb/manager"), "app1"));
        assertThat(r.exitCode()).as(String.join("\n", r.report())).isZero();
        assertThat(String.join("\n", r.report())).contains("applied the dead master's binlog events saved in");
        int nm = r.newMaster().orElseThrow().port() == sb.node(2).port() ? 2 : 3;
        int other = nm == 2 ? 3 : 2;
        assertThat(value(nm, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)).isEqualTo("4");
        await().atMost(Duration.ofSeconds(20)).until(() -> "4".equals(value(other, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
        // with their original GTIDs: the master's server_id 10, in domain 0
        assertThat(value(nm, "SELECT @@gtid_binlog_pos")).startsWith("0-10-");
    }

    @Test
    void aCandidateMasterBehindTheLatestReplicaCatchesUpBeforeItIsPromoted() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Ledger.createReplicated(sb);
        sb.exec(3, "STOP SLAVE IO_THREAD");  // server3 falls behind; server2 still acknowledges every commit
        for (int i = 1; i <= 5; i++) sb.exec(1, "INSERT INTO " + LoadWriter.TABLE + " (id, writer) VALUES (" + i + ", 0)");
        sb.killNode(1);
        Path conf = tmp.resolve("app1.conf");
        Files.writeString(conf, Files.readString(sb.configFile()).replace("candidate_master=1\n", "")
                .replace("[server3]\n", "[server3]\ncandidate_master=1\n"));
        AppConfig app = ConfigLoader.load(conf, global());
        FailoverRunner.Result r = FailoverRunner.run(app, app.first(), new FailoverRunner.Settings(true, Duration.ofMinutes(480),
                false, true, FailoverOptions.DEFAULT, Duration.ofSeconds(30)), new StatusFile(tmp.resolve("sb/manager"), "app1"));
        assertThat(r.exitCode()).as(String.join("\n", r.report())).isZero();
        assertThat(r.newMaster().orElseThrow().block()).isEqualTo("server3");
        assertThat(value(3, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)).isEqualTo("5");
        assertThat(value(3, "SELECT @@read_only")).isEqualTo("0");
        await().atMost(Duration.ofSeconds(20)).until(() -> isReplica(2) && "5".equals(value(2, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
        sb.exec(3, "INSERT INTO " + LoadWriter.TABLE + " (id, writer) VALUES (6, 0)");
        await().atMost(Duration.ofSeconds(20)).until(() -> "6".equals(value(2, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
    }

    /**
     * manager_workdir on a full file system (a small tmpfs, filled after the manager started): the status file, the
     * failover flags and record cannot be written, the dead master's binlog tail goes to a private temporary directory,
     * and the failover completes anyway; the manager goes on watching the new master.
     */
    @Test
    void aFullDiskUnderManagerWorkdirDoesNotStopTheFailoverNorTheManager() throws Exception {
        Path full = Files.createDirectories(tmp.resolve("full"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", full.toString()).inheritIO().start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "mounting a small tmpfs needs root");
        try {
            sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
            Path conf = tmp.resolve("app1.conf");
            Files.writeString(conf, Files.readString(sb.configFile()).replaceAll("(?m)^manager_workdir=.*$", "manager_workdir=" + full));
            startManager(conf, false);
            await().atMost(Duration.ofSeconds(20)).until(() -> Cli.run("masterha_check_status", "--conf=" + conf,
                    "--global_conf=" + global()).out().contains("is running(0:PING_OK)"));
            fill(full);
            sb.exec(1, "CREATE DATABASE d", "CREATE TABLE d.t (id INT PRIMARY KEY)", "INSERT INTO d.t VALUES (1), (2)");
            sb.killNode(1);

            await().atMost(Duration.ofSeconds(40)).until(() -> writable(2) || writable(3));
            int nm = writable(2) ? 2 : 3;
            int other = nm == 2 ? 3 : 2;
            await().atMost(Duration.ofSeconds(20)).until(() -> isReplica(other)
                    && TestTable.replicaStatus(sb, other).map(r -> r.get("Slave_IO_Running")).orElse("").equals("Yes"));
            sb.exec(nm, "INSERT INTO d.t VALUES (3)");
            await().atMost(Duration.ofSeconds(20)).until(() -> "3".equals(value(other, "SELECT COUNT(*) FROM d.t")));
            Thread.sleep(3000);  // a manager that died on the full disk after the failover would be gone by now
            assertThat(managerThread.isAlive()).as("the manager watches the new master").isTrue();
            assertThat(managerExit.get()).isEqualTo(-1);
        } finally {
            stop.set(true);
            if (managerThread != null) managerThread.join(15_000);
            new ProcessBuilder("umount", "-l", full.toString()).inheritIO().start().waitFor();
        }
    }

    /** Writes zeros into {@code dir} until its file system is full. */
    private static void fill(Path dir) throws IOException {
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(dir.resolve("filler"))) {
            while (true) out.write(block);
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
    }
}
