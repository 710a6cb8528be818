package org.mha4j.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigLoader;
import org.mha4j.config.SemiSyncMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxIT {

    @TempDir
    static Path tmp;
    Sandbox sb;

    @BeforeAll
    void up() {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
    }

    @AfterAll
    void down() {
        sb.down();
        assertThat(tmp.resolve("sb")).doesNotExist();
    }

    private String value(int node, String sql) throws SQLException {
        return sb.value(node, sql);
    }

    private String status(int node, String name) throws SQLException {
        try (Connection c = sb.connect(node); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    @Test
    void masterIsWritableAndReplicasAreReadOnlyGtidReplicas() throws SQLException {
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");
        for (int i = 2; i <= 3; i++) {
            assertThat(value(i, "SELECT @@read_only")).isEqualTo("1");
            try (Connection c = sb.connect(i); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("Slave_IO_Running")).isEqualTo("Yes");
                assertThat(rs.getString("Slave_SQL_Running")).isEqualTo("Yes");
                assertThat(rs.getString("Using_Gtid")).isEqualTo("Slave_Pos");
                assertThat(rs.getInt("Master_Port")).isEqualTo(sb.master().port());
            }
            assertThat(value(i, "SELECT @@server_id")).isEqualTo(Integer.toString(10 * i));
        }
    }

    @Test
    void writesReplicateSemiSynchronously() throws SQLException {
        assertThat(status(1, "Rpl_semi_sync_master_status")).isEqualTo("ON");
        assertThat(status(1, "Rpl_semi_sync_master_clients")).isEqualTo("2");
        assertThat(value(2, "SELECT @@rpl_semi_sync_master_enabled")).isEqualTo("0");
        long before = Long.parseLong(status(1, "Rpl_semi_sync_master_yes_tx"));
        sb.exec(1, "CREATE DATABASE IF NOT EXISTS sbtest", "CREATE TABLE IF NOT EXISTS sbtest.t (id INT PRIMARY KEY)",
                "INSERT INTO sbtest.t VALUES (42)");
        assertThat(Long.parseLong(status(1, "Rpl_semi_sync_master_yes_tx"))).isEqualTo(before + 3);
        for (int i = 2; i <= 3; i++) {
            int node = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> "42".equals(value(node, "SELECT MAX(id) FROM sbtest.t")));
        }
        sb.exec(1, "DROP DATABASE sbtest");
    }

    @Test
    void theConfigIsAnMhaConfigForThisCluster() throws IOException {
        Path conf = sb.configFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-------");
        AppConfig app = ConfigLoader.load(conf, Files.writeString(tmp.resolve("g.cnf"), ""));
        assertThat(app.servers()).hasSize(3);
        assertThat(app.servers()).extracting(s -> s.port()).containsExactly(sb.node(1).port(), sb.node(2).port(), sb.node(3).port());
        assertThat(app.first().user()).isEqualTo(Sandbox.ADMIN_USER);
        assertThat(app.first().password().reveal()).isEqualTo(sb.adminPassword());
        assertThat(app.first().semiSync()).isEqualTo(SemiSyncMode.ON);
        assertThat(app.first().sshPort()).isEqualTo(sb.sshd().orElseThrow().port());
        assertThat(app.servers()).allMatch(s -> s.candidateMaster());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("sb").resolve(SandboxState.FILE)))).isEqualTo("rw-------");
        assertThat(tmp.resolve("sb/node1/bootstrap.sql")).doesNotExist();
    }

    @Test
    void stopStartAndKillANode() {
        int port = sb.node(3).port();
        sb.stopNode(3);
        assertThat(sb.isRunning(3)).isFalse();
        assertThat(NodeProcess.portOpen(port)).isFalse();
        assertThat(sb.status().get(2)).contains("stopped");
        sb.startNode(3);
        assertThat(sb.isRunning(3)).isTrue();
        sb.killNode(3);
        assertThat(sb.isRunning(3)).isFalse();
        assertThat(NodeProcess.portOpen(port)).isFalse();
        sb.startNode(3);
        sb.exec(3, "START SLAVE");
        await().atMost(Duration.ofSeconds(20)).until(() -> sb.status().get(2).contains("IO Yes, SQL Yes"));
    }

    @Test
    void anotherProcessReattachesFromTheStateFile() {
        Sandbox again = Sandbox.open(tmp.resolve("sb"));
        assertThat(again.nodes()).isEqualTo(sb.nodes());
        assertThat(again.adminPassword()).isEqualTo(sb.adminPassword());
        assertThat(again.status().getFirst()).contains("master (writable)");
        assertThatThrownBy(() -> Sandbox.create(tmp.resolve("sb"), 3, 0).up()).hasMessageContaining("already exists");
        assertThatThrownBy(() -> Sandbox.open(tmp.resolve("nothing-here"))).hasMessageContaining("mha sandbox up");
    }

    @Test
    void twoSandboxesRunSideBySide() throws SQLException {
        try (Sandbox second = Sandbox.create(tmp.resolve("sb2"), 2, 0).up()) {
            assertThat(second.node(1).port()).isNotIn(sb.node(1).port(), sb.node(2).port(), sb.node(3).port());
            try (Connection c = second.connect(2); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("Master_Port")).isEqualTo(second.node(1).port());
            }
        }
        assertThat(tmp.resolve("sb2")).doesNotExist();
    }
}
