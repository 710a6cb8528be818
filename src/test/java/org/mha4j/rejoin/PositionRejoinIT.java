package org.mha4j.rejoin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.sandbox.SandboxFlavor;
import org.mha4j.testing.TestTable;

/**
 * Issue 20, without GTID: Oracle MySQL 5.6.14 with gtid_mode=OFF, replication by file and position. The failover
 * records where the dead master's binlog and the new master's meet; mha rejoin re-points the old master there when its
 * binlog holds nothing after that point, and refuses, listing what follows, when it does.
 */
class PositionRejoinIT extends RejoinTestBase {

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

        assertRejoinsAsReplicaOf(nm, "holds nothing after", "MASTER_LOG_FILE=");
    }

    @Test
    void anOldMasterWithEventsAfterThatPositionIsRefusedWithTheirListing() throws Exception {
        sb = mysql56WithoutGtid();
        int nm = failOverAndRestartOldMaster();
        sb.exec(1, "SET GLOBAL read_only=0", "INSERT INTO t.a(v) VALUES ('only-on-the-old-master')", "SET GLOBAL read_only=1");

        Path archive = assertRefusedWithArchive(rejoin());
        assertThat(Files.readString(archive)).contains("Write_rows").contains("Xid");
        assertThat(TestTable.rows(sb, nm)).isEqualTo(5);
    }
}
