package org.mha4j.switchover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.mha4j.bench.LoadWriter;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.promote.FailoverRecord;
import org.mha4j.promote.Step;
import org.mha4j.testing.Cli;
import org.mha4j.testing.Records;
import org.mha4j.testing.SandboxTest;
import org.junit.jupiter.api.Test;

/** masterha_master_switch and the other MHA tools of issue 5, against real servers. */
class SwitchoverIT extends SandboxTest {

    private int masterPortOf(int node) throws SQLException {
        try (Connection c = sb.connect(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? rs.getInt("Master_Port") : -1;
        }
    }

    @Test
    void onlineSwitchUnderASteadyWriterLosesNothingAndTheOldMasterReplicates() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        try (Connection c = sb.connect(1)) {
            LoadWriter.createTable(c);
        }
        List<Integer> ports = sb.nodes().stream().map(n -> n.port()).toList();
        LoadWriter writer = LoadWriter.following("127.0.0.1", ports, Sandbox.ADMIN_USER, sb.adminPassword(), 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged() >= 300);
        Cli.Run r = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(), "--orig_master_is_new_slave", "--interactive=0");
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("Writes were blocked for \\d+ ms").contains("Switching master to server2");
        int before = writer.acknowledged();
        await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged() >= before + 300);  // writes go on, on server2
        writer.close();
        System.out.println(r.out().lines().filter(l -> l.contains("Writes were blocked")).findFirst().orElse("")
                + "; acknowledged " + writer.acknowledged());

        assertThat(value(2, "SELECT @@read_only")).isEqualTo("0");
        assertThat(masterPortOf(2)).isEqualTo(-1);
        for (int node : new int[]{1, 3}) {
            assertThat(masterPortOf(node)).isEqualTo(sb.node(2).port());
            assertThat(value(node, "SELECT @@read_only")).isEqualTo("1");
        }
        for (int node = 1; node <= 3; node++) {
            int n = node;
            await().atMost(Duration.ofSeconds(20)).until(() -> value(n, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)
                    .equals(value(2, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
            try (Connection c = sb.connect(node)) {
                assertThat(writer.missingOn(c)).as("acknowledged but missing on node %d", node).isEmpty();
            }
        }
        assertThat(Cli.run("masterha_check_repl", "--conf=" + sb.configFile(), global()).out()).contains("MySQL Replication Health is OK.");

        // the switch as data, next to the log in manager_workdir
        Path record;
        try (var files = Files.list(sb.dir().resolve("manager"))) {
            record = files.filter(f -> f.getFileName().toString().matches("app1\\.switch\\..*\\.json")).findFirst().orElseThrow();
        }
        FailoverRecord rec = Records.read(record);
        assertThat(rec.kind()).isEqualTo("switch");
        assertThat(rec.cause()).isEqualTo("planned");
        assertThat(rec.outcome()).isEqualTo("done");
        assertThat(rec.master()).isEqualTo("127.0.0.1:" + sb.node(1).port());
        assertThat(rec.newMaster()).isEqualTo("127.0.0.1:" + sb.node(2).port());
        assertThat(rec.steps()).extracting(Step::phase).contains("Phase 2: Rejecting updates Phase", "Phase 4: Switching slaves Phase");
        assertThat(rec.steps()).anySatisfy(st -> {
            assertThat(st.phase()).isEqualTo("Phase 2: Rejecting updates Phase");
            assertThat(st.statement()).isEqualTo("FLUSH TABLES WITH READ LOCK");
            assertThat(st.server()).startsWith("server1 ");
        });
        assertThat(Files.readString(record)).doesNotContain(sb.replPassword());
    }

    /**
     * Switching back to a master that rejoined with --orig_master_is_new_slave and received nothing since: its own
     * transactions are not in its gtid_slave_pos, so MASTER_GTID_WAIT would wait for ever with writes blocked.
     */
    @Test
    void switchingBackToAnOldMasterThatReceivedNothingSinceIsImmediate() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        try (Connection c = sb.connect(1)) {
            LoadWriter.createTable(c);
        }
        Cli.Run there = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(), "--orig_master_is_new_slave", "--interactive=0");
        assertThat(there.rc()).as(there.out()).isZero();
        long t0 = System.nanoTime();
        Cli.Run back = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(1).port(), "--orig_master_is_new_slave", "--interactive=0");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertThat(back.rc()).as(back.out()).isZero();
        assertThat(seconds).as("the switch back must not wait out a GTID wait").isLessThan(30);
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");
        assertThat(masterPortOf(2)).isEqualTo(sb.node(1).port());
        sb.exec(1, "INSERT INTO " + LoadWriter.TABLE + " (id, writer) VALUES (1, 0)");
        await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(value(2, "SELECT COUNT(*) FROM " + LoadWriter.TABLE))
                && "1".equals(value(3, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
    }

    /** MHA's one selector: a replica with transactions the master never had is never promoted, planned or not. */
    @Test
    void aPlannedSwitchToAReplicaWithErrantTransactionsIsRefused() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        sb.exec(2, "SET GLOBAL read_only=0", "CREATE DATABASE errant_on_server2", "SET GLOBAL read_only=1");
        Cli.Run r = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(), "--interactive=0");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains("Online master switch refused: server2 (127.0.0.1:" + sb.node(2).port() + ") was requested as new"
                + " master but cannot be: it holds errant transactions 0-20-");
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");
        assertThat(masterPortOf(2)).isEqualTo(sb.node(1).port());
        // without --new_master_host the other replica is chosen
        Cli.Run any = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive", "--interactive=0",
                "--check_only");
        assertThat(any.rc()).as(any.out()).isZero();
        assertThat(any.out()).contains("new master server3");
    }

    @Test
    void aStoppedReplicaRefusesTheSwitchAndTheMasterStaysWritable() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        sb.exec(3, "STOP SLAVE");
        Cli.Run r = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive", "--interactive=0");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains("Online master switch refused: server3 (127.0.0.1:" + sb.node(3).port() + ") is not replicating");
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");
        assertThat(masterPortOf(2)).isEqualTo(sb.node(1).port());
    }

    @Test
    void aFailureBeforeThePromotionPutsTheOldMasterBack() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Path script = tmp.resolve("online_change.sh");
        // stop succeeds, start fails: the switch must undo itself
        Files.writeString(script, "#!/bin/sh\ncase \"$*\" in *--command=start*) exit 1;; esac\nexit 0\n");
        script.toFile().setExecutable(true);
        Path conf = tmp.resolve("app1.conf");
        Files.writeString(conf, Files.readString(sb.configFile()).replace("[server default]",
                "[server default]\nmaster_ip_online_change_script=" + script));
        Cli.Run r = Cli.run("masterha_master_switch", "--conf=" + conf, global(), "--master_state=alive", "--interactive=0");
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains("putting server1 (127.0.0.1:" + sb.node(1).port() + ") back as the writable master")
                .contains("master_ip_online_change_script failed with exit code 1");
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");
        sb.exec(1, "CREATE DATABASE after_rollback");
        assertThat(value(2, "SELECT @@read_only")).isEqualTo("1");
        await().atMost(Duration.ofSeconds(10)).until(() -> masterPortOf(2) == sb.node(1).port()
                && "after_rollback".equals(value(2, "SHOW DATABASES LIKE 'after_rollback'")));
    }

    @Test
    void manualFailoverOfADeadMasterNonInteractive() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        sb.killNode(1);
        Cli.Run r = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=dead",
                "--dead_master_host=127.0.0.1", "--dead_master_port=" + sb.node(1).port(), "--interactive=0", "--ignore_last_failover");
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("Master failover to 127.0.0.1(127.0.0.1:" + sb.node(2).port() + ") completed successfully.");
        assertThat(value(2, "SELECT @@read_only")).isEqualTo("0");
        assertThat(masterPortOf(3)).isEqualTo(sb.node(2).port());
    }

    @Test
    void secondaryCheckThroughTheSandboxSshd() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        var sshd = sb.sshd().orElseThrow();
        String[] common = {"masterha_secondary_check", "-s", "127.0.0.1", "-s", "127.0.0.1", "--user=" + sshd.user(),
                "--port=" + sshd.port(), "--options=" + sshd.sshOptions(), "--master_host=127.0.0.1",
                "--master_port=" + sb.node(1).port(), "--master_user=mha", "--master_password=x", "--ping_type=SELECT"};
        Cli.Run alive = Cli.run(common);
        assertThat(alive.rc()).as(alive.out()).isEqualTo(3);
        assertThat(alive.out()).contains("is reachable from 127.0.0.1");
        sb.killNode(1);
        Cli.Run dead = Cli.run(common);
        assertThat(dead.rc()).as(dead.out()).isZero();
        assertThat(dead.out()).contains("Failover should start.");
        Cli.Run badHost = Cli.run("masterha_secondary_check", "-s", "127.0.0.1", "--user=" + sshd.user(), "--port=1",
                "--options=" + sshd.sshOptions(), "--master_host=127.0.0.1", "--master_port=" + sb.node(1).port());
        assertThat(badHost.rc()).isEqualTo(2);
        assertThat(badHost.out()).contains("Secondary host 127.0.0.1 is not reachable: connection refused");
    }
}
