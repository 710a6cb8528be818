package org.mha4j.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.sandbox.SandboxFlavor;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;
import org.mha4j.testing.TestTable;

/**
 * Issue 20, without GTID: Oracle MySQL 5.6.14 with gtid_mode=OFF, replication by file and position. The failover
 * records where the dead master's binlog and the new master's meet; mha rejoin re-points the old master there when its
 * binlog holds nothing after that point, and refuses, listing what follows, when it does.
 */
class PositionRejoinIT extends SandboxTest {

    /** Kills server1, fails over by hand, starts server1 again read-only: the new master's node. */
    private int failOverAndRestartOldMaster() throws Exception {
        TestTable.create(sb, 1);
        TestTable.insert(sb, 1, "before", 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTable.rows(sb, 2) == 5 && TestTable.rows(sb, 3) == 5);
        sb.killNode(1);
        Cli.Run failover = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=dead",
                "--dead_master_host=127.0.0.1", "--dead_master_port=" + sb.node(1).port(), "--interactive=0");
        assertThat(failover.rc()).as(failover.out()).isZero();
        sb.startNode(1);
        sb.exec(1, "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only=1");
        return "0".equals(sb.value(2, "SELECT @@read_only")) ? 2 : 3;
    }

    private Cli.Run rejoin(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("rejoin", "--conf=" + sb.configFile(), global(), "--host=127.0.0.1",
                "--port=" + sb.node(1).port()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private Sandbox mysql56WithoutGtid() {
        return Sandbox.create(tmp.resolve("sb"), 3, 0, SandboxFlavor.MYSQL_56).positionReplication().up();
    }

    @Test
    void anOldMasterWhoseBinlogEndsWhereTheNewMasterTookOverRejoinsAtTheRecordedPosition() throws Exception {
        sb = mysql56WithoutGtid();
        assertThat(sb.value(1, "SELECT @@gtid_mode")).isEqualTo("OFF");
        int nm = failOverAndRestartOldMaster();
        TestTable.insert(sb, nm, "after", 3);  // written on the new master before the old one comes back
        Path record;
        try (var files = Files.list(sb.dir().resolve("manager"))) {
            record = files.filter(f -> f.getFileName().toString().matches("app1\\.failover\\..*\\.json")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(record)).containsPattern("\"positions\" : \\{\\s*\"deadMaster\" : \"binlog\\.\\d+:\\d+\",\\s*"
                + "\"newMaster\" : \"binlog\\.\\d+:\\d+\"");

        Cli.Run dry = rejoin("--dry-run");
        assertThat(dry.rc()).as(dry.out()).isZero();
        assertThat(dry.out()).contains("holds nothing after").contains("--dry-run").contains("MASTER_LOG_FILE=")
                .contains("MASTER_PASSWORD='******'");
        assertThat(TestTable.replicaStatus(sb, 1)).as("--dry-run changes nothing").isEmpty();

        Cli.Run r = rejoin();
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("rejoined: it replicates from the master").doesNotContain(sb.replPassword());
        Optional<java.util.Map<String, String>> rs = TestTable.replicaStatus(sb, 1);
        assertThat(rs).isPresent();
        assertThat(rs.get().get("Master_Port")).isEqualTo(Integer.toString(sb.node(nm).port()));
        assertThat(sb.value(1, "SELECT @@read_only")).isEqualTo("1");
        // what the new master took before the rejoin and after it both arrive, and nothing twice
        TestTable.insert(sb, nm, "later", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTable.rows(sb, 1) == 10);
        assertThat(TestTable.digest(sb, 1)).isEqualTo(TestTable.digest(sb, nm));
    }

    @Test
    void anOldMasterWithEventsAfterThatPositionIsRefusedWithTheirListing() throws Exception {
        sb = mysql56WithoutGtid();
        int nm = failOverAndRestartOldMaster();
        sb.exec(1, "SET GLOBAL read_only=0", "INSERT INTO t.a(v) VALUES ('only-on-the-old-master')", "SET GLOBAL read_only=1");

        Cli.Run r = rejoin();
        assertThat(r.rc()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("[EXTRA_TRANSACTIONS]").contains("Rejoin refused, nothing changed").contains("rebuild");
        assertThat(TestTable.replicaStatus(sb, 1)).as("nothing changed").isEmpty();
        Path archive;
        try (var files = Files.list(sb.dir().resolve("manager"))) {
            archive = files.filter(f -> f.getFileName().toString().startsWith("app1.rejoin_archive.") && f.toString().endsWith(".txt"))
                    .findFirst().orElseThrow();
        }
        assertThat(r.out()).contains(archive.toString());
        assertThat(Files.readString(archive)).contains("Write_rows").contains("Xid");
        assertThat(TestTable.rows(sb, nm)).isEqualTo(5);
    }
}
