package org.mha4j.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;
import org.mha4j.topology.Db;

/** Issue 15: an online switch that MHA refuses or finishes differently (filters, semi-sync roles), on real servers. */
class SwitchSafetyIT extends SandboxTest {

    private Cli.Run switchTo(int node, String... more) throws Exception {
        String[] base = {"masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(node).port(), "--interactive=0"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Cli.run(all);
    }

    private String masterPortOf(int node) throws SQLException {
        try (Connection c = sb.connect(node)) {
            return Db.query(c, "SHOW SLAVE STATUS").stream().findFirst().map(r -> r.get("Master_Port")).orElse("none");
        }
    }

    /**
     * An old master that filters (replicate-do-table) would, as a replica of a new master that does not, skip the new
     * master's writes to every other table: refused before anything changes, as MHA does.
     */
    @Test
    void oldMasterWithOtherReplicationFiltersIsNotMadeAReplica() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        sb.exec(1, "SET GLOBAL replicate_do_table='test.aaa'");

        Cli.Run r = switchTo(2, "--orig_master_is_new_slave");

        assertThat(r.rc()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("replication filters differ").contains("Replicate_Do_Table=test.aaa");
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");
        assertThat(masterPortOf(1)).isEqualTo("none");
        for (int node : new int[]{2, 3}) {
            assertThat(masterPortOf(node)).isEqualTo(String.valueOf(sb.node(1).port()));
            assertThat(value(node, "SELECT @@read_only")).isEqualTo("1");
        }

        // with the same filter on the new master (as a replica) the old master may follow it
        sb.exec(2, "STOP SLAVE", "SET GLOBAL replicate_do_table='test.aaa'", "START SLAVE");
        Cli.Run ok = switchTo(2, "--orig_master_is_new_slave");
        assertThat(ok.rc()).as(ok.out()).isZero();
        assertThat(masterPortOf(1)).isEqualTo(String.valueOf(sb.node(2).port()));
    }

    /**
     * semi_sync left unmanaged (MHA's way) but on at the old master: the roles move with the switch, so the new master
     * waits for ACKs as the old one did and the old master, now a replica, waits for none.
     */
    @Test
    void unmanagedSemiSyncRolesMoveWithTheSwitch() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Files.writeString(sb.configFile(), Files.readString(sb.configFile()).replace("semi_sync=on", "semi_sync=unmanaged"));
        sb.exec(1, "SET GLOBAL rpl_semi_sync_master_timeout=7000");

        Cli.Run r = switchTo(2, "--orig_master_is_new_slave");

        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(value(2, "SELECT @@rpl_semi_sync_master_enabled")).isEqualTo("1");
        assertThat(value(2, "SELECT @@rpl_semi_sync_master_timeout")).isEqualTo("7000");
        assertThat(value(1, "SELECT @@rpl_semi_sync_master_enabled")).isEqualTo("0");
        assertThat(value(1, "SELECT @@rpl_semi_sync_slave_enabled")).isEqualTo("1");
        // a write on the new master is acknowledged by a replica, not committed after a timeout
        sb.exec(2, "CREATE DATABASE IF NOT EXISTS test", "CREATE TABLE test.semi (id INT PRIMARY KEY)", "INSERT INTO test.semi VALUES (1)");
        assertThat(value(2, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='Rpl_semi_sync_master_yes_tx'"))
                .isNotEqualTo("0");
        assertThat(value(2, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='Rpl_semi_sync_master_status'"))
                .isEqualTo("ON");
    }
}
