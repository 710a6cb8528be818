package org.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mha4j.config.AppConfig;
import org.mha4j.testing.Snapshots;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.ServerSnapshot;

/** What a failover that stopped after its first change tells the operator to run, per server. */
class LeftToDoTest {
    private final AppConfig app = Snapshots.threeServers(null);
    private final List<ServerSnapshot> replicas = Snapshots.healthy(app).subList(1, 3).stream().map(Snapshots.S::snapshot).toList();

    @Test
    void nothingPromotedOffersToFinishOrToLetTheReplicasReceiveAgain() {
        String text = String.join("\n", LeftToDo.lines(app.file(), app.first(), replicas, Optional.empty(), false, "repl", true, Optional.empty()));
        assertThat(text).contains("masterha_master_switch --master_state=dead --conf=" + app.file()
                        + " --dead_master_host=10.0.0.1 --dead_master_port=3306 --ignore_last_failover")
                .contains("server2 (10.0.0.2:3306): START SLAVE;").contains("server3 (10.0.0.3:3306): START SLAVE;");
    }

    @Test
    void aChosenButInactiveNewMasterGetsItsStatementsAndTheOthersAreRepointedWithoutThePassword() {
        List<String> lines = LeftToDo.lines(app.file(), app.first(), replicas, Optional.of(replicas.getFirst()), false, "repl", true, Optional.empty());
        String text = String.join("\n", lines);
        assertThat(text).contains("server2 (10.0.0.2:3306): STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=0;")
                .containsPattern("server3 \\(10.0.0.3:3306\\): STOP SLAVE; CHANGE MASTER TO MASTER_HOST='10.0.0.2', MASTER_PORT=3306, "
                        + "MASTER_USER='repl', MASTER_PASSWORD='\\*\\*\\*\\*\\*\\*', MASTER_USE_GTID=slave_pos.*; START SLAVE;")
                .doesNotContain("server2 (10.0.0.2:3306): STOP SLAVE; CHANGE MASTER");
    }

    @Test
    void withoutGtidTheOthersContinueAtTheNewMastersPositionOrTheToolDoesIt() {
        String known = String.join("\n", LeftToDo.lines(app.file(), app.first(), replicas, Optional.of(replicas.getFirst()), true, "repl",
                false, Optional.of(new BinlogPosition("binlog.000007", 1234))));
        assertThat(known).contains("is the new master and takes writes").contains("MASTER_LOG_FILE='binlog.000007'").contains("MASTER_LOG_POS=1234");
        String unknown = String.join("\n", LeftToDo.lines(app.file(), app.first(), replicas, Optional.of(replicas.getFirst()), false, "repl",
                false, Optional.empty()));
        assertThat(unknown).contains("--new_master_host=10.0.0.2 --new_master_port=3306").doesNotContain("CHANGE MASTER");
    }
}
