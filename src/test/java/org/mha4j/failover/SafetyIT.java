package org.mha4j.failover;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mha4j.bench.LoadWriter;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigLoader;
import org.mha4j.manager.Manager;
import org.mha4j.monitor.StatusFile;
import org.mha4j.promote.FailoverRecord;
import org.mha4j.promote.Step;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.Ledger;
import org.mha4j.testing.Records;
import org.mha4j.testing.SandboxTest;

/**
 * The safety defects of a first release, each reproduced on real servers: acknowledged commits of a semi-sync fallback
 * right before the crash, an old master that comes back writable, refusals that came after the first change.
 */
class SafetyIT extends SandboxTest {
    Thread managerThread;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger managerExit = new AtomicInteger(-1);
    Manager manager;

    @AfterEach
    void stopManager() throws InterruptedException {
        stop.set(true);
        if (managerThread != null) managerThread.join(15_000);
    }

    private Path emptyGlobal() throws IOException {
        return Files.writeString(tmp.resolve("g.cnf"), "");
    }

    private void startManager(Path conf) throws IOException {
        Manager.Options o = new Manager.Options(conf, emptyGlobal(), false, true, 480, false, 0, 0, false,
                FailoverOptions.DEFAULT, Duration.ofSeconds(60));
        manager = new Manager(o, stop);
        managerThread = Thread.ofPlatform().start(() -> managerExit.set(manager.run()));
        await().atMost(Duration.ofSeconds(30)).until(() -> Cli.run("masterha_check_status", "--conf=" + conf, global())
                .out().contains("is running(0:PING_OK)"));
    }

    private Path conf(String extraDefaults) throws IOException {
        Path conf = tmp.resolve("app1.conf");
        Files.writeString(conf, Files.readString(sb.configFile()).replace("[server default]\n", "[server default]\n" + extraDefaults));
        return conf;
    }

    private boolean writableMaster(int node) {
        try {
            return "0".equals(value(node, "SELECT @@read_only")) && !isReplica(node);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean isReplica(int node) {
        try (Connection c = sb.connect(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String ioThread(int node) {
        try (Connection c = sb.connect(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? rs.getString("Slave_IO_Running") : "(no replica)";
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Integer> missing(int node, List<Integer> acked) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection c = sb.connect(node); Statement st = c.createStatement()) {
            for (int id : acked) {
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM " + LoadWriter.TABLE + " WHERE id=" + id)) {
                    if (!rs.next()) out.add(id);
                }
            }
        }
        return out;
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP of the master until a replica is the writable master (at most {@code bound}), then SIGCONT. @return the master's pid */
    private long hangMasterUntilFailedOver(Duration bound) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(sb.node(1).pidFile()).strip());
        signal("STOP", pid);
        try {
            await().atMost(bound).until(() -> writableMaster(2) || writableMaster(3));
        } finally {
            signal("CONT", pid);
        }
        return pid;
    }

    /**
     * The seed's own scenario: the replicas stop acknowledging, the master waits out semi_sync_timeout and falls back to
     * async, clients get more commits acknowledged, and the master is killed a few milliseconds later. With MHA's default
     * ping_interval=3 the last good ping almost always saw semi-sync ON; the manager must read the binlog anyway.
     */
    @Test
    void commitsAcknowledgedAfterAFallbackJustBeforeTheCrashAreNotLost() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Ledger.createReplicated(sb);
        Path conf = tmp.resolve("app1.conf");
        // MHA's ping interval and MHA's detection rule: four failed checks, whatever the failure
        Files.writeString(conf, Files.readString(sb.configFile()).replace("ping_interval=1", "ping_interval=3\ndetection=mha"));
        startManager(conf);

        sb.exec(2, "STOP SLAVE IO_THREAD");
        sb.exec(3, "STOP SLAVE IO_THREAD");
        List<Integer> acked = new ArrayList<>();
        try (Connection c = sb.connect(1); Statement st = c.createStatement()) {
            for (int id = 1; id <= 30; id++) {
                // the first waits out semi_sync_timeout; then the master is asynchronous and acknowledges at once
                st.executeUpdate("INSERT INTO " + LoadWriter.TABLE + " (id, writer) VALUES (" + id + ", 0)");
                acked.add(id);
            }
        }
        sb.killNode(1);

        await().atMost(Duration.ofSeconds(60)).until(() -> writableMaster(2) || writableMaster(3));
        int nm = writableMaster(2) ? 2 : 3;
        int other = nm == 2 ? 3 : 2;
        assertThat(missing(nm, acked)).as("acknowledged commits missing on the new master").isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> missing(other, acked).isEmpty());
        FailoverRunner.Result r = manager.lastFailover().orElseThrow();
        assertThat(String.join("\n", r.report())).contains("applied the dead master's binlog events saved in")
                .contains("Fenced the old master").contains("no mysqld listens on port " + sb.node(1).port());

        // the failover as data: MHA's sub-phases, every statement with its server and duration, no password
        FailoverRecord rec = Records.read(r.record().orElseThrow());
        assertThat(rec.kind()).isEqualTo("failover");
        assertThat(rec.outcome()).isEqualTo("done");
        assertThat(rec.cause()).isEqualTo("DEAD_MASTER");
        assertThat(r.report()).anyMatch(l -> l.contains("is down after 4 failed check(s)") && l.endsWith("[DEAD_MASTER]"));
        assertThat(rec.newMaster()).isEqualTo("127.0.0.1:" + sb.node(nm).port());
        assertThat(rec.steps()).extracting(Step::phase).contains("Phase 3.2: Saving Dead Master's Binlog Phase",
                "Phase 3.3: New Master Recovery Phase", "Phase 4.1: Starting Slaves in parallel");
        assertThat(rec.steps()).anySatisfy(st -> {
            assertThat(st.server()).isEqualTo("server" + other + " (127.0.0.1:" + sb.node(other).port() + ")");
            assertThat(st.statement()).startsWith("CHANGE MASTER TO").contains("MASTER_PASSWORD='******'");
        });
        assertThat(rec.steps()).anySatisfy(st -> assertThat(st.statement()).isEqualTo("SET GLOBAL read_only=0"));
        assertThat(Files.readString(r.record().get())).doesNotContain(sb.replPassword()).doesNotContain(sb.adminPassword());
    }

    /**
     * A hung master is failed over; when it resumes it is still read_only=0 with its clients connected. The manager
     * watching it makes it read-only within a ping interval and masterha_check_status says it needs rejoin.
     */
    @Test
    void anOldMasterThatComesBackIsMadeReadOnlyAndReportedAsNeedingRejoin() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Path conf = conf("");
        startManager(conf);
        // a manual failover next to the running manager is refused, and the manager's status file stays
        Cli.Run manual = Cli.run("masterha_master_switch", "--conf=" + conf, global(), "--master_state=dead",
                "--dead_master_host=127.0.0.1", "--dead_master_port=" + sb.node(1).port(), "--interactive=0");
        assertThat(manual.rc()).isEqualTo(1);
        assertThat(manual.out() + manual.err()).contains("masterha_manager runs for app1");
        assertThat(Cli.run("masterha_check_status", "--conf=" + conf, global()).out()).contains("is running(0:PING_OK)");
        long pid = hangMasterUntilFailedOver(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(15)).until(() -> "1".equals(value(1, "SELECT @@read_only")));
        await().atMost(Duration.ofSeconds(10)).until(() -> Cli.run("masterha_check_status", "--conf=" + conf, global()).rc() == 60);
        Cli.Run status = Cli.run("masterha_check_status", "--conf=" + conf, global());
        assertThat(status.out()).contains("is running(0:PING_OK)")
                .contains("old master 127.0.0.1:" + sb.node(1).port() + " needs rejoin(60:NEEDS_REJOIN)");
        assertThat(String.join("\n", manager.lastFailover().orElseThrow().report())).contains("could not fence");
    }

    /** fence=shutdown: a hung master's mysqld is killed over SSH during the failover, so it can never come back writable. */
    @Test
    void fenceShutdownKillsAHungMasterOverSsh() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        startManager(conf("fence=shutdown\n"));
        long pid = hangMasterUntilFailedOver(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sb.isRunning(1));
        assertThat(String.join("\n", manager.lastFailover().orElseThrow().report()))
                .contains("Fenced the old master").contains("mysqld (pid " + pid + ") killed");
    }

    /**
     * The servers' defaults, not the sandbox's tuning: slave_net_timeout=60 and a heartbeat every 30 s, so the replicas'
     * IO threads say Yes for a minute after the master hung, and MHA's replica check alone would veto the failover that
     * long. The manager sets a heartbeat every half second at start (and says so); a replica connected to a master that
     * sent nothing for a few heartbeat periods sees a hung master. Without it this failover would come after a minute.
     */
    @Test
    void aHungMasterUnderTheServersDefaultNetworkTimeoutIsToldFromAQuietOneByHeartbeats() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        for (int n = 1; n <= 3; n++) sb.exec(n, "SET GLOBAL slave_net_timeout=60");
        for (int n = 2; n <= 3; n++) sb.exec(n, "STOP SLAVE", "CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=30", "START SLAVE");
        assertThat(heartbeatPeriod(2)).isEqualTo("30.000");
        startManager(conf(""));
        assertThat(heartbeatPeriod(2)).isEqualTo("0.500");
        assertThat(heartbeatPeriod(3)).isEqualTo("0.500");

        hangMasterUntilFailedOver(Duration.ofSeconds(40));
        assertThat(manager.lastFailover().orElseThrow().report()).anyMatch(l -> l.contains("is hung after 2 failed check(s)")
                && l.contains("received nothing, not even a heartbeat") && l.endsWith("[MASTER_HUNG]"));
    }

    /**
     * detection=fast suspects a master after two unanswered checks: it must have answered nobody for two whole check
     * timeouts. A master that stalls for less (a stuck fsync, a short SIGSTOP), under the servers' default network
     * timeout, with one replica far behind (its SQL thread stopped) but still connected, is never failed over, however
     * the stall falls between the checks.
     */
    @Test
    void aMasterThatStallsForLessThanTwoChecksIsNotFailedOverAndALaggingReplicaStillCounts() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        for (int n = 1; n <= 3; n++) sb.exec(n, "SET GLOBAL slave_net_timeout=60");
        startManager(conf(""));
        // after the manager set the heartbeat on both: server3 can confirm a silence like server2, it only applies nothing
        sb.exec(3, "STOP SLAVE SQL_THREAD");
        sb.exec(1, "CREATE DATABASE IF NOT EXISTS stall", "CREATE TABLE stall.t (id INT PRIMARY KEY)");
        for (int i = 0; i < 50; i++) sb.exec(1, "INSERT INTO stall.t VALUES (" + i + ")");
        assertThat(heartbeatPeriod(3)).isEqualTo("0.500");
        long pid = Long.parseLong(Files.readString(sb.node(1).pidFile()).strip());
        for (int stall = 0; stall < 4; stall++) {
            signal("STOP", pid);
            Thread.sleep(1200 + 150 * stall);  // shorter than two check timeouts, at a different moment of the interval each time
            signal("CONT", pid);
            Thread.sleep(1500);
        }
        Thread.sleep(3000);  // a verdict after the last stall would have come by now
        assertThat(manager.lastFailover()).isEmpty();
        assertThat(writableMaster(1)).isTrue();
        assertThat(ioThread(2)).isEqualTo("Yes");
        assertThat(value(3, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='stall'")).as("still behind").isEqualTo("0");
        assertThat(Cli.run("masterha_check_status", "--conf=" + tmp.resolve("app1.conf"), global()).out()).contains("PING_OK");
    }

    private String heartbeatPeriod(int node) {
        return value(node, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='SLAVE_HEARTBEAT_PERIOD'");
    }

    /**
     * Every refusal that the inputs can cause comes before the first change: the replicas still receive (IO thread not
     * stopped) and no failover.error blocks the next attempt. A hook failing later leaves the exact statements to run.
     */
    @Test
    void refusalsComeBeforeTheFirstChangeAndALateFailureSaysWhatIsLeft() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        // an ip that is not the hostname's address: the manager would watch another server than the replicas' master
        Path mismatched = tmp.resolve("mismatch.conf");
        Files.writeString(mismatched, Files.readString(sb.configFile()).replace("[server1]\nhostname=127.0.0.1\n",
                "[server1]\nhostname=127.0.0.1\nip=127.0.0.2\n"));
        Cli.Run check = Cli.run("masterha_check_repl", "--conf=" + mismatched, global());
        assertThat(check.rc()).isEqualTo(1);
        assertThat(check.out() + check.err()).contains("ip=127.0.0.2 is not an address of hostname=127.0.0.1")
                .containsPattern("mismatch\\.conf:\\d+ \\(\\[server1\\]\\)");
        Manager.Options o = new Manager.Options(mismatched, emptyGlobal(), false, true, 480, false, 0, 0, true,
                FailoverOptions.DEFAULT, Duration.ofSeconds(30));
        assertThat(new Manager(o, new AtomicBoolean()).run()).isEqualTo(1);
        assertThat(writableMaster(1)).isTrue();

        sb.killNode(1);
        Path manager = tmp.resolve("sb/manager");
        AppConfig app = ConfigLoader.load(sb.configFile(), emptyGlobal());
        StatusFile status = new StatusFile(manager, "app1");
        FailoverOptions unknownHost = new FailoverOptions(Optional.of("10.9.9.9"), Optional.empty(), false);
        FailoverRunner.Result r = FailoverRunner.run(app, app.first(), new FailoverRunner.Settings(true, Duration.ofMinutes(480),
                false, true, unknownHost, Duration.ofSeconds(30)), status);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", r.report())).contains("--new_master_host 10.9.9.9 is not an alive replica");
        assertThat(ioThread(2)).isNotEqualTo("No");
        assertThat(ioThread(3)).isNotEqualTo("No");
        assertThat(manager.resolve("app1.failover.error")).doesNotExist();

        Path missingHook = tmp.resolve("missing-hook.conf");
        Files.writeString(missingHook, Files.readString(sb.configFile()).replace("[server default]\n",
                "[server default]\nmaster_ip_failover_script=" + tmp.resolve("no-such-script") + "\n"));
        AppConfig app2 = ConfigLoader.load(missingHook, emptyGlobal());
        r = FailoverRunner.run(app2, app2.first(), new FailoverRunner.Settings(true, Duration.ofMinutes(480), false, true,
                FailoverOptions.DEFAULT, Duration.ofSeconds(30)), new StatusFile(manager, "missing-hook"));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", r.report())).contains("master_ip_failover_script " + tmp.resolve("no-such-script") + " does not exist");
        assertThat(ioThread(2)).isNotEqualTo("No");
        assertThat(manager.resolve("missing-hook.failover.error")).doesNotExist();

        // a hook that runs but fails: Phase 2 already stopped the IO threads, so the report says what is left
        Path failing = tmp.resolve("fail.sh");
        Files.writeString(failing, "#!/bin/sh\nexit 1\n");
        failing.toFile().setExecutable(true);
        Path failingHook = tmp.resolve("failing-hook.conf");
        Files.writeString(failingHook, Files.readString(sb.configFile()).replace("[server default]\n",
                "[server default]\nmaster_ip_failover_script=" + failing + "\n"));
        AppConfig app3 = ConfigLoader.load(failingHook, emptyGlobal());
        r = FailoverRunner.run(app3, app3.first(), new FailoverRunner.Settings(true, Duration.ofMinutes(480), false, true,
                FailoverOptions.DEFAULT, Duration.ofSeconds(30)), new StatusFile(manager, "failing-hook"));
        assertThat(r.exitCode()).isEqualTo(1);
        String report = String.join("\n", r.report());
        assertThat(report).contains("master_ip_failover_script failed with exit code 1")
                .contains("What is left to do by hand")
                .contains("masterha_master_switch --master_state=dead --conf=" + failingHook)
                .contains("server2 (127.0.0.1:" + sb.node(2).port() + "): START SLAVE;")
                .contains("server3 (127.0.0.1:" + sb.node(3).port() + "): START SLAVE;");
        assertThat(ioThread(2)).isEqualTo("No");
        assertThat(manager.resolve("failing-hook.failover.error")).exists();
    }
}
