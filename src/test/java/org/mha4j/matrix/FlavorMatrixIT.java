package org.mha4j.matrix;

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
import java.util.Map;
import org.mha4j.node.RelayLogLocation;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.ServerVersion;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.bench.LoadWriter;
import org.mha4j.failover.FailoverOptions;
import org.mha4j.manager.Manager;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.sandbox.SandboxFlavor;
import org.mha4j.testing.Cli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same story on every server the sandbox can run (Debian's MariaDB, Oracle MySQL 5.6 with uuid GTIDs and the
 * seed's semi-sync plugins): healthy check, lossless semi-sync, errant GTID found, an online switch and a kill -9
 * failover under writers with no acknowledged commit lost.
 */
@Tag("integration")
class FlavorMatrixIT {

    @TempDir
    Path tmp;

    private static String value(Sandbox sb, int node, String sql) throws SQLException {
        return sb.value(node, sql);
    }

    private static int masterPortOf(Sandbox sb, int node) throws SQLException {
        try (Connection c = sb.connect(node); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? rs.getInt("Master_Port") : -1;
        }
    }

    @ParameterizedTest
    @EnumSource(SandboxFlavor.class)
    void checkSwitchAndFailoverLoseNothing(SandboxFlavor flavor) throws Exception {
        try (Sandbox sb = Sandbox.create(tmp.resolve("sb"), 3, 0, flavor).up()) {
            String conf = "--conf=" + sb.configFile();
            String global = "--global_conf=" + Files.writeString(tmp.resolve("g.cnf"), "");
            Cli.Run check = Cli.run("masterha_check_repl", conf, global);
            assertThat(check.rc()).as(check.out()).isZero();
            Cli.Run semi = Cli.run("semisync", "status", conf, global);
            assertThat(semi.out()).contains("verdict: lossless");

            // an errant transaction, found by GTID set subtraction (uuid sets on MySQL, domain-server-seq on MariaDB)
            sb.exec(3, "CREATE DATABASE errant_db");
            assertThat(Cli.run("masterha_check_repl", conf, global).out()).contains("holds transactions the master")
                    .contains(flavor == SandboxFlavor.MYSQL_56 ? value(sb, 3, "SELECT @@server_uuid") + ":1" : "0-30-");
            sb.exec(3, "SET SESSION sql_log_bin=0", "DROP DATABASE errant_db");
            sb.exec(3, "STOP SLAVE", "RESET MASTER", "START SLAVE");
            await().atMost(Duration.ofSeconds(20)).until(() -> Cli.run("masterha_check_repl", conf, global).rc() == 0);

            try (Connection c = sb.connect(1)) {
                LoadWriter.createTable(c);
            }
            List<Integer> ports = sb.nodes().stream().map(n -> n.port()).toList();
            LoadWriter follower = LoadWriter.following("127.0.0.1", ports, Sandbox.ADMIN_USER, sb.adminPassword(), 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> follower.acknowledged() >= 200);
            Cli.Run sw = Cli.run("masterha_master_switch", conf, global, "--master_state=alive", "--orig_master_is_new_slave",
                    "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(), "--interactive=0");
            assertThat(sw.rc()).as(sw.out()).isZero();
            int afterSwitch = follower.acknowledged();
            await().atMost(Duration.ofSeconds(20)).until(() -> follower.acknowledged() >= afterSwitch + 200);
            follower.close();
            assertThat(masterPortOf(sb, 1)).isEqualTo(sb.node(2).port());

            // kill -9 of the new master (node2) while writers commit on it; the manager promotes another node
            AtomicBoolean stop = new AtomicBoolean();
            Manager manager = new Manager(new Manager.Options(sb.configFile(), tmp.resolve("g.cnf"), false, true, 480, false, 0, 0,
                    true, FailoverOptions.DEFAULT, Duration.ofSeconds(60)), stop);
            Thread mt = Thread.ofPlatform().start(manager::run);
            await().atMost(Duration.ofSeconds(20)).until(() -> Cli.run("masterha_check_status", conf, global).out().contains("PING_OK"));
            LoadWriter writer = new LoadWriter("127.0.0.1", sb.node(2).port(), Sandbox.ADMIN_USER, sb.adminPassword(), 3);
            await().atMost(Duration.ofSeconds(20)).until(() -> writer.acknowledged() >= 200);
            sb.killNode(2);
            writer.close();
            mt.join(Duration.ofSeconds(60));
            assertThat(manager.lastFailover()).hasValueSatisfying(r -> assertThat(r.exitCode()).isZero());
            int newMaster = manager.lastFailover().get().newMaster().orElseThrow().port() == sb.node(1).port() ? 1 : 3;
            int replica = newMaster == 1 ? 3 : 1;
            assertThat(value(sb, newMaster, "SELECT @@read_only")).isEqualTo("0");
            await().atMost(Duration.ofSeconds(20)).until(() -> masterPortOf(sb, replica) == sb.node(newMaster).port()
                    && value(sb, replica, "SELECT COUNT(*) FROM " + LoadWriter.TABLE).equals(value(sb, newMaster, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
            for (int node : new int[]{newMaster, replica}) {
                try (Connection c = sb.connect(node)) {
                    assertThat(writer.missingOn(c)).as("%s: acknowledged but missing on node %d", flavor, node).isEmpty();
                    assertThat(follower.missingOn(c)).as("%s: acknowledged before the switch, missing on node %d", flavor, node).isEmpty();
                }
            }
            // the node tools read this flavour's real binlogs and relay logs: every event checked, coordinates right
            String binlogBase = value(sb, newMaster, "SELECT @@log_bin_basename");
            Path binlogDir = Path.of(binlogBase).getParent();
            String firstBinlog = value(sb, newMaster, "SHOW BINARY LOGS");
            Cli.Run save = Cli.run("save_binary_logs", "--start_file=" + firstBinlog, "--start_pos=4", "--binlog_dir=" + binlogDir,
                    "--output_file=" + tmp.resolve("saved.binlog"));
            assertThat(save.rc()).as(save.out() + save.err()).isZero();
            assertThat(save.out()).doesNotContain("[warning]").containsPattern("Saved [1-9][0-9]* events");
            sb.exec(replica, "STOP SLAVE");
            try (Connection c = sb.connect(replica)) {
                Map<String, String> rs = Db.query(c, "SHOW SLAVE STATUS").getFirst();
                RelayLogLocation where = RelayLogLocation.of(c, Dialect.of(ServerVersion.parse(value(sb, replica, "SELECT VERSION()"), "")));
                Cli.Run find = Cli.run("apply_diff_relay_logs", "--command=find", "--relay_dir=" + where.dir(),
                        "--current_relay_log=" + where.current(), "--server_id=" + value(sb, replica, "SELECT @@server_id"),
                        "--target_mlf=" + rs.get("Master_Log_File"), "--target_rmlp=" + rs.get("Read_Master_Log_Pos"));
                assertThat(find.rc()).as(find.out() + find.err()).isZero();
                assertThat(find.out()).contains("relay logs end at master position " + rs.get("Master_Log_File") + ":" + rs.get("Read_Master_Log_Pos"));
            }
            System.out.println(flavor + ": " + follower.acknowledged() + " commits across the switch and " + writer.acknowledged()
                    + " before the crash, none lost");
        }
    }
}
