package org.mha4j.semisync;

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
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The seed's semi-sync experiment, step by step, on a real MariaDB sandbox driven through `mha semisync`. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SemiSyncIT {

    @TempDir
    static Path tmp;
    Sandbox sb;
    String conf;
    String global;

    @BeforeAll
    void up() throws IOException {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        conf = "--conf=" + sb.configFile();
        global = "--global_conf=" + Files.writeString(tmp.resolve("g.cnf"), "");
        sb.exec(1, "CREATE DATABASE db_itheima", "CREATE TABLE db_itheima.tb_student (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(10))");
    }

    @AfterAll
    void down() {
        sb.down();
    }

    private Cli.Run mha(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = conf;
        all[args.length + 1] = global;
        return Cli.run(all);
    }

    private String status(int node, String name) throws SQLException {
        try (Connection c = sb.connect(node); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    private long number(int node, String name) throws SQLException {
        return Long.parseLong(status(node, name));
    }

    @Test
    @Order(1)
    void disabledClusterIsOff() {
        assertThat(mha("semisync", "disable").rc()).isZero();
        Cli.Run s = mha("semisync", "status");
        assertThat(s.out()).contains("verdict: off");
        assertThat(s.rc()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void enableMakesItLosslessAndEachCommitIsAcknowledged() throws SQLException {
        Cli.Run e = mha("semisync", "enable", "--timeout-ms", "2000");
        assertThat(e.rc()).as(e.out()).isZero();
        assertThat(e.out()).contains("all 2 replica(s) registered").contains("rpl_semi_sync_master_enabled=ON");
        assertThat(number(1, "Rpl_semi_sync_master_clients")).isEqualTo(2);
        Cli.Run s = mha("semisync", "status");
        assertThat(s.out()).contains("verdict: lossless: 2 semi-sync replica(s)").contains("AFTER_SYNC");
        assertThat(s.rc()).isZero();
        long yes = number(1, "Rpl_semi_sync_master_yes_tx");
        sb.exec(1, "INSERT INTO db_itheima.tb_student VALUES (NULL, 'j')");
        assertThat(number(1, "Rpl_semi_sync_master_yes_tx")).isEqualTo(yes + 1);
    }

    @Test
    @Order(3)
    void enableAgainChangesNothingAndRestartsNoIoThread() {
        Cli.Run dry = mha("semisync", "enable", "--timeout-ms", "2000", "--dry-run");
        assertThat(dry.rc()).isZero();
        assertThat(dry.out()).doesNotContain("restart the IO thread").doesNotContain("INSTALL PLUGIN");
    }

    @Test
    @Order(4)
    void withBothReplicasDownACommitWaitsOutTheTimeoutThenTheMasterFallsBackToAsync() throws SQLException {
        sb.stopNode(2);
        sb.stopNode(3);
        long noTx = number(1, "Rpl_semi_sync_master_no_tx");
        long t0 = System.nanoTime();
        sb.exec(1, "INSERT INTO db_itheima.tb_student VALUES (NULL, 'k')");
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("commit with no replica waited " + waitedMs + " ms (timeout 2000 ms)");
        // behaviour, not speed: the commit must have waited for an acknowledgement at all
        assertThat(waitedMs).isGreaterThanOrEqualTo(1500);
        assertThat(status(1, "Rpl_semi_sync_master_status")).isEqualTo("OFF");
        sb.exec(1, "INSERT INTO db_itheima.tb_student VALUES (NULL, 'l')");
        assertThat(number(1, "Rpl_semi_sync_master_no_tx")).isGreaterThanOrEqualTo(noTx + 2);
        Cli.Run s = mha("semisync", "status");
        assertThat(s.rc()).isEqualTo(2);
        assertThat(s.out()).contains("verdict: degraded: master fell back to async").contains("unreachable");
    }

    @Test
    @Order(5)
    void replicasBackMakeItLosslessAgain() {
        for (int i = 2; i <= 3; i++) {
            sb.startNode(i);
            sb.exec(i, "START SLAVE");  // skip-slave-start, as in the seed's my.cnf
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "ON".equals(status(1, "Rpl_semi_sync_master_status")));
        Cli.Run s = mha("semisync", "status");
        assertThat(s.out()).contains("verdict: lossless");
        assertThat(s.rc()).isZero();
    }

    @Test
    @Order(6)
    void aReplicaThatCannotRegisterIsNamed() {
        sb.exec(3, "STOP SLAVE", "CHANGE MASTER TO MASTER_PASSWORD='wrong'", "START SLAVE");
        try {
            sb.exec(3, "SET GLOBAL rpl_semi_sync_slave_enabled=OFF");
            Cli.Run e = mha("semisync", "enable", "--timeout-ms", "2000");
            assertThat(e.rc()).isEqualTo(1);
            assertThat(e.out()).contains("[error] server3 (127.0.0.1:" + sb.node(3).port() + "): not registered as a semi-sync replica")
                    .contains("Last_IO_Errno=1045").contains("1 replica(s) did not register");
        } finally {
            sb.exec(3, "STOP SLAVE", "CHANGE MASTER TO MASTER_PASSWORD='" + sb.replPassword() + "'", "START SLAVE");
        }
        assertThat(mha("semisync", "enable", "--timeout-ms", "2000").rc()).isZero();
    }

    @Test
    @Order(7)
    void tuneChangesTheTimeoutEverywhere() throws SQLException {
        assertThat(mha("semisync", "tune", "--timeout-ms", "3000").rc()).isZero();
        for (int i = 1; i <= 3; i++) {
            try (Connection c = sb.connect(i); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT @@rpl_semi_sync_master_timeout")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3000);
            }
        }
        Cli.Run json = mha("semisync", "status", "--json");
        assertThat(json.out()).startsWith("{\"verdict\":\"lossless\"").contains("\"timeout_ms\":3000").contains("\"role\":\"replica\"");
    }

    @Test
    @Order(8)
    void uninstallOnMariadbDisablesTheBuiltInFeature() throws SQLException {
        Cli.Run u = mha("semisync", "uninstall");
        assertThat(u.rc()).isZero();
        assertThat(u.out()).doesNotContain("UNINSTALL PLUGIN");
        assertThat(status(1, "Rpl_semi_sync_master_status")).isEqualTo("OFF");
        assertThat(mha("semisync", "status").rc()).isEqualTo(3);
    }
}
