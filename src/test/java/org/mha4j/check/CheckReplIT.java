package org.mha4j.check;

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
import org.mha4j.testing.Cli;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigEditor;
import org.mha4j.config.ConfigLoader;
import org.mha4j.sandbox.Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * masterha_check_repl against a real 3-node MariaDB sandbox: each of the seed's "common problems" and the other
 * checks is injected on a real server, reported with the right server named, and repaired again.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckReplIT {

    @TempDir
    static Path tmp;
    Sandbox sandbox;
    Path conf;

    static Path noGlobal;

    @BeforeAll
    void up() throws IOException {
        sandbox = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        conf = sandbox.configFile();
        // tests must not depend on the machine's /etc/masterha_default.cnf
        noGlobal = Files.writeString(tmp.resolve("empty-global.cnf"), "");
    }

    @AfterAll
    void down() {
        if (sandbox != null) sandbox.down();
    }

    private CheckReport check() {
        return check(conf, CheckOptions.DEFAULTS);
    }

    private static CheckReport check(Path config, CheckOptions options) {
        return CheckRepl.run(ConfigLoader.load(config, noGlobal), options);
    }

    private static List<String> errors(CheckReport r) {
        return r.errors().stream().map(Finding::text).toList();
    }

    private String label(int node) {
        return "server" + node + " (127.0.0.1:" + sandbox.node(node).port() + ")";
    }

    /** Runs SQL on a node without binary logging, so the change stays local and creates no GTID. */
    private void local(int node, String... sql) {
        String[] all = new String[sql.length + 1];
        all[0] = "SET SESSION sql_log_bin=0";
        System.arraycopy(sql, 0, all, 1, sql.length);
        sandbox.exec(node, all);
    }

    private String value(int node, String sql) throws SQLException {
        return sandbox.value(node, sql);
    }

    private String replicaField(int node, String column) throws SQLException {
        try (Connection c = sandbox.connect(node); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? rs.getString(column) : null;
        }
    }

    /**
     * The check's errors once no replica is merely reconnecting: on a loaded machine a replica's IO thread can time out
     * and reconnect (the sandbox's slave_net_timeout=4) at the moment of a check, which is not the problem under test.
     */
    private List<String> settledErrors() {
        java.util.concurrent.atomic.AtomicReference<List<String>> last = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last.set(errors(check()));
            return last.get().stream().noneMatch(e -> e.contains("Slave IO thread is still connecting"));
        });
        return last.get();
    }

    private void awaitReplicating(int node) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(replicaField(node, "Slave_IO_Running")).isEqualTo("Yes");
            assertThat(replicaField(node, "Slave_SQL_Running")).isEqualTo("Yes");
        });
    }

    /**
     * Issue 20: every server's clock against the manager's, read on the real servers with the manager's clock shifted
     * (a faketime'd manager, without faketime: the clock is the check's input): in sync, nothing; 3 s apart, a warning
     * naming each server; beyond max_clock_skew (10 s), an error and NOT OK.
     */
    @Test
    void serverClocksAreComparedWithTheManagersClock() {
        AppConfig app = ConfigLoader.load(conf, noGlobal);
        java.time.Clock real = java.time.Clock.systemUTC();
        assertThat(CheckRepl.run(app, CheckOptions.DEFAULTS, real).findings()).noneMatch(f -> f.check().equals("clock"));
        CheckReport behind = CheckRepl.run(app, CheckOptions.DEFAULTS, java.time.Clock.offset(real, java.time.Duration.ofSeconds(3)));
        assertThat(behind.healthy()).isTrue();
        assertThat(behind.findings()).filteredOn(f -> f.check().equals("clock")).hasSize(3).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.text()).contains("behind the manager's").contains("synchronize the clocks");
        });
        CheckReport far = CheckRepl.run(app, CheckOptions.DEFAULTS, java.time.Clock.offset(real, java.time.Duration.ofSeconds(-30)));
        assertThat(far.healthy()).isFalse();
        assertThat(far.findings()).filteredOn(f -> f.check().equals("clock")).hasSize(3)
                .allSatisfy(f -> assertThat(f.text()).contains("ahead of the manager's").contains("more than max_clock_skew=10 s"));
    }

    @Test
    void healthySandboxIsOkThroughTheMhaCommand() {
        Cli.Run r = Cli.run("masterha_check_repl", "--conf=" + conf, "--global_conf=" + noGlobal);
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("MySQL Replication Health is OK.").doesNotContain(sandbox.adminPassword())
                .doesNotContain(sandbox.replPassword());
    }

    @Test
    void wrongPortInTheConfigNamesTheServerAndTheLine() throws IOException {
        Path bad = tmp.resolve("wrong-port.conf");
        int port = sandbox.node(3).port();
        String text = Files.readString(conf);
        Files.writeString(bad, text.replace("port=" + port, "port=1"));
        AppConfig app = ConfigLoader.load(bad, noGlobal);
        CheckReport r = check(bad, CheckOptions.DEFAULTS);
        assertThat(r.healthy()).isFalse();
        assertThat(errors(r)).anySatisfy(e -> assertThat(e)
                .startsWith("server3 (127.0.0.1:1): the server is not reachable: connection refused")
                .contains("wrong-port.conf:" + app.servers().get(2).line() + " ([server3])"));
    }

    @Test
    void replicaNotReadOnly() {
        awaitReplicating(2);  // a loaded machine can make a replica reconnect (the sandbox's slave_net_timeout=4)
        sandbox.exec(2, "SET GLOBAL read_only=0");
        try {
            assertThat(settledErrors()).singleElement().asString().startsWith(label(2) + ": read_only is OFF");
        } finally {
            sandbox.exec(2, "SET GLOBAL read_only=1");
        }
        assertThat(check().healthy()).isTrue();
    }

    @Test
    void replicationUserMissingOnACandidateMaster() {
        local(3, "DROP USER 'repl'@'127.0.0.1'");
        try {
            assertThat(settledErrors()).singleElement().asString()
                    .startsWith(label(3) + ": replication user 'repl' does not exist here");
        } finally {
            local(3, "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '" + sandbox.replPassword() + "'",
                    "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'127.0.0.1'");
        }
        assertThat(check().healthy()).isTrue();
    }

    @Test
    void replicationUserWithoutReplicationSlave() {
        local(2, "REVOKE REPLICATION SLAVE ON *.* FROM 'repl'@'127.0.0.1'");
        try {
            assertThat(settledErrors()).singleElement().asString()
                    .startsWith(label(2) + ": replication user 'repl' lacks the REPLICATION SLAVE privilege");
        } finally {
            local(2, "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'");
        }
    }

    @Test
    void tooFewReplicas() throws IOException {
        Path two = tmp.resolve("two.conf");
        Files.copy(conf, two);
        ConfigEditor.removeBlock(two, "server3");
        CheckReport r = check(two, new CheckOptions(30, false, 2));
        // server3 still replicates from the master but is not in the config: that is reported too
        assertThat(errors(r)).anySatisfy(e -> assertThat(e).contains("only 1 alive replica"));
    }

    @Test
    void duplicateServerId() throws SQLException {
        String original = value(3, "SELECT @@server_id");
        sandbox.exec(3, "SET GLOBAL server_id=" + value(2, "SELECT @@server_id"));
        try {
            assertThat(settledErrors()).singleElement().asString()
                    .contains("is used by " + label(2) + " and " + label(3));
        } finally {
            sandbox.exec(3, "SET GLOBAL server_id=" + original);
        }
    }

    /** log_bin and log_slave_updates are not dynamic: edit the nodes' my.cnf and restart them, as an operator would. */
    @Test
    void logBinOffOnACandidateAndLogSlaveUpdatesOff() throws IOException {
        Path cnf2 = sandbox.node(2).myCnf();
        Path cnf3 = sandbox.node(3).myCnf();
        String orig2 = Files.readString(cnf2);
        String orig3 = Files.readString(cnf3);
        try {
            Files.writeString(cnf2, orig2.replaceAll("(?m)^log-bin=.*$", "skip-log-bin"));
            Files.writeString(cnf3, orig3.replace("log-slave-updates=1", "log-slave-updates=0"));
            restartReplica(2);
            restartReplica(3);
            List<String> e = errors(check());
            assertThat(e).hasSize(2);
            assertThat(e.get(0)).startsWith(label(2) + ": log-bin is off, but candidate_master=1");
            assertThat(e.get(1)).startsWith(label(3) + ": log_slave_updates is OFF");
        } finally {
            Files.writeString(cnf2, orig2);
            Files.writeString(cnf3, orig3);
            restartReplica(2);
            restartReplica(3);
        }
        assertThat(check().healthy()).isTrue();
    }

    private void restartReplica(int node) {
        sandbox.stopNode(node);
        sandbox.startNode(node);
        sandbox.exec(node, "START SLAVE");
        awaitReplicating(node);
    }

    @Test
    void differingReplicationFilters() {
        sandbox.exec(3, "STOP SLAVE", "SET GLOBAL replicate_ignore_db='junk'", "START SLAVE");
        awaitReplicating(3);
        try {
            assertThat(settledErrors()).singleElement().asString()
                    .contains("bad replication filters").contains(label(3) + " has Replicate_Ignore_DB=junk");
        } finally {
            sandbox.exec(3, "STOP SLAVE", "SET GLOBAL replicate_ignore_db=''", "START SLAVE");
            awaitReplicating(3);
        }
    }

    @Test
    void stoppedIoThread() {
        sandbox.exec(3, "STOP SLAVE IO_THREAD");
        try {
            assertThat(settledErrors()).singleElement().asString().startsWith(label(3) + ": Slave IO thread is not running");
        } finally {
            sandbox.exec(3, "START SLAVE IO_THREAD");
            awaitReplicating(3);
        }
    }

    @Test
    void failingSqlThreadQuotesTheServersError() {
        sandbox.exec(1, "CREATE DATABASE IF NOT EXISTS conflict_db", "CREATE TABLE conflict_db.t (id INT PRIMARY KEY)");
        await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(value(2, "SELECT COUNT(*) FROM conflict_db.t")));
        // a row written on the replica alone, then the same key from the master: duplicate key, the SQL thread stops
        local(2, "INSERT INTO conflict_db.t VALUES (7)");
        sandbox.exec(1, "INSERT INTO conflict_db.t VALUES (7)");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> "No".equals(replicaField(2, "Slave_SQL_Running")));
            assertThat(settledErrors()).singleElement().asString()
                    .startsWith(label(2) + ": Slave SQL thread is not running. Last_SQL_Errno=1062")
                    .contains("Duplicate entry '7'");
        } finally {
            local(2, "DELETE FROM conflict_db.t WHERE id=7");
            sandbox.exec(2, "START SLAVE SQL_THREAD");
            awaitReplicating(2);
            sandbox.exec(1, "DROP DATABASE conflict_db");
        }
    }

    @Test
    void lagAboveTheLimit() {
        sandbox.exec(3, "STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=8", "START SLAVE");
        try {
            sandbox.exec(1, "CREATE DATABASE IF NOT EXISTS lag_db", "DROP DATABASE lag_db");
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Long.parseLong(java.util.Objects.requireNonNullElse(replicaField(3, "Seconds_Behind_Master"), "0")) >= 2);
            CheckReport r = check(conf, new CheckOptions(1, false, 2));
            assertThat(errors(r)).singleElement().asString().startsWith(label(3) + ": replica is currently behind");
        } finally {
            sandbox.exec(3, "STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=0", "START SLAVE");
            awaitReplicating(3);
        }
    }

    @Test
    void mixedGtidModes() {
        sandbox.exec(3, "STOP SLAVE", "CHANGE MASTER TO MASTER_USE_GTID=no", "START SLAVE");
        awaitReplicating(3);
        try {
            assertThat(settledErrors()).singleElement().asString()
                    .contains("mixed replication modes").contains(label(3) + " uses file/position");
        } finally {
            sandbox.exec(3, "STOP SLAVE", "CHANGE MASTER TO MASTER_USE_GTID=slave_pos", "START SLAVE");
            awaitReplicating(3);
        }
    }

    @Test
    void errantTransactionOnAReplica() throws SQLException {
        String serverId = value(3, "SELECT @@server_id");
        // A superuser bypasses read_only: exactly how errant transactions happen in production.
        sandbox.exec(3, "CREATE DATABASE errant_db");
        try {
            assertThat(settledErrors()).singleElement().asString()
                    .startsWith(label(3) + ": holds transactions the master")
                    .containsPattern("errant GTIDs: 0-" + serverId + "-\\d+");
        } finally {
            local(3, "DROP DATABASE errant_db");
            // forget the replica's own binlog history; gtid_slave_pos keeps its place in the master's stream
            sandbox.exec(3, "STOP SLAVE", "RESET MASTER", "START SLAVE");
            awaitReplicating(3);
        }
        assertThat(check().healthy()).isTrue();
    }

    @Test
    void hookScriptStatusIsRunWithMhasArguments() throws IOException {
        Path record = tmp.resolve("hook-args.txt");
        Path script = tmp.resolve("ip_failover.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > " + record + "\nexit ${FAIL:-0}\n");
        script.toFile().setExecutable(true);
        Path withHook = tmp.resolve("hook.conf");
        String text = Files.readString(conf).replace("[server default]",
                "[server default]\nmaster_ip_failover_script=\"" + script + " 10.1.1.100 1\"");
        Files.writeString(withHook, text);
        assertThat(check(withHook, CheckOptions.DEFAULTS).healthy()).isTrue();
        assertThat(Files.readString(record).strip()).startsWith("10.1.1.100 1 --command=status --ssh_user=")
                .contains("--orig_master_host=127.0.0.1 --orig_master_ip=127.0.0.1 --orig_master_port=" + sandbox.node(1).port());
        Files.writeString(withHook, text.replace(script + " 10.1.1.100 1", "FAIL=3 " + script));
        assertThat(errors(check(withHook, CheckOptions.DEFAULTS))).singleElement().asString()
                .contains("master_ip_failover_script status with return code 3");
    }
}
