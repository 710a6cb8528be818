package org.mha4j.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mha4j.promote.Step;

class TakeoverTest {
    private static final String DEAD = "db1:3306";

    private static Step step(String phase, String name, String server, String statement) {
        return new Step(phase, name, server, statement, "2026-11-29T10:00:00Z", 3, Step.OK, null);
    }

    private static FailoverJournal running(List<Step> steps) {
        return new FailoverJournal("mgr-a:101", 4, DEAD, "2026-11-29T10:00:00Z", FailoverJournal.RUNNING, null, steps, null, null);
    }

    @Test
    void nothingToTakeOverWithoutARunningJournalOfThisMaster() {
        assertThat(Takeover.judge(null, DEAD, "mgr-b:7", false).code()).isEqualTo(Takeover.Code.NONE);
        FailoverJournal done = running(List.of()).ended(FailoverJournal.COMPLETED, "db2:3306", "2026-11-29T10:00:05Z");
        assertThat(Takeover.judge(done, DEAD, "mgr-b:7", false).code()).isEqualTo(Takeover.Code.NONE);
        assertThat(Takeover.judge(running(List.of()), "db9:3306", "mgr-b:7", false).code()).isEqualTo(Takeover.Code.NONE);
    }

    @Test
    void stoppedInPhase2ItIsRunAgainWhole() {
        FailoverJournal j = running(List.of(
                step("Phase 1: Configuration Check Phase", "Phase 1: Configuration Check Phase", null, null),
                step("Phase 2: Dead Master Shutdown Phase", "sql", "server2 (db2:3306)", "STOP SLAVE IO_THREAD"),
                step("Phase 2: Dead Master Shutdown Phase", "hook master_ip_failover_script", null, "/bin/ip_failover --command=stop"),
                step("Phase 3.1: Getting Latest Slaves Phase", "sql", "server2 (db2:3306)", "SELECT MASTER_GTID_WAIT('0-1-5', 10)"),
                step("Phase 3.1: Getting Latest Slaves Phase", "sftp", "server1 (db1:3306)", "binlog.000003 from 120")));
        Takeover.Verdict v = Takeover.judge(j, DEAD, "mgr-b:7", false);
        assertThat(v.code()).isEqualTo(Takeover.Code.RERUN);
        assertThat(String.join("\n", v.account())).contains("mgr-a:101").contains("epoch 4").contains("after Phase 3.1")
                .contains("No server was changed after Phase 2 (5 step(s) recorded)");
    }

    @Test
    void aChangeFromPhase3OnIsReportedInOrderNotRepeated() {
        FailoverJournal j = running(List.of(
                step("Phase 2: Dead Master Shutdown Phase", "sql", "server2 (db2:3306)", "STOP SLAVE IO_THREAD"),
                step("Phase 3.3: New Master Recovery Phase", "sql", "server2 (db2:3306)", "STOP SLAVE"),
                step("Phase 3.3: New Master Recovery Phase", "sql", "server2 (db2:3306)", "RESET SLAVE ALL"),
                step("Phase 3.4: New Master Activation", "hook master_ip_failover_script", null, "/bin/ip_failover --command=start")));
        Takeover.Verdict v = Takeover.judge(j, DEAD, "mgr-b:7", false);
        assertThat(v.code()).isEqualTo(Takeover.Code.REPORT);
        String account = String.join("\n", v.account());
        assertThat(account.indexOf("STOP SLAVE [ok]")).isLessThan(account.indexOf("RESET SLAVE ALL [ok]"));
        assertThat(account).contains("/bin/ip_failover --command=start [ok]").contains("Left to do by hand")
                .contains("server2 (db2:3306)").doesNotContain("STOP SLAVE IO_THREAD");
    }

    @Test
    void aFailoverThatFailedAfterPhase1OrWasLeftHalfDoneBlocksTheNextOneOnEveryHostUntilIgnored() {
        List<Step> steps = List.of(step("Phase 1: Configuration Check Phase", "Phase 1: Configuration Check Phase", null, null),
                step("Phase 3.3: New Master Recovery Phase", "sql", "server2 (db2:3306)", "STOP SLAVE"));
        FailoverJournal failed = running(steps).ended(FailoverJournal.FAILED, null, "2026-11-29T10:00:09Z");
        Takeover.Verdict v = Takeover.judge(failed, DEAD, "mgr-b:7", false);
        assertThat(v.code()).isEqualTo(Takeover.Code.REPORT);
        assertThat(String.join("\n", v.account())).contains("it failed after its Phase 1").contains("server2 (db2:3306): STOP SLAVE [ok]")
                .contains("--ignore_last_failover");
        assertThat(Takeover.judge(failed, DEAD, "mgr-b:7", true).code()).isEqualTo(Takeover.Code.NONE);

        FailoverJournal abandoned = running(steps).takenOver("mgr-c:9", false, "2026-11-29T10:00:20Z");
        assertThat(abandoned.over()).isTrue();
        assertThat(String.join("\n", Takeover.judge(abandoned, DEAD, "mgr-b:7", false).account())).contains("reported by mgr-c:9");

        FailoverJournal refusedInPhase1 = running(steps.subList(0, 1)).ended(FailoverJournal.FAILED, null, "2026-11-29T10:00:01Z");
        assertThat(Takeover.judge(refusedInPhase1, DEAD, "mgr-b:7", false).code()).isEqualTo(Takeover.Code.NONE);
        FailoverJournal rerun = running(steps.subList(0, 1)).takenOver("mgr-c:9", true, "2026-11-29T10:00:20Z");
        assertThat(rerun.over()).isFalse();
        assertThat(Takeover.judge(rerun, DEAD, "mgr-b:7", false).code()).isEqualTo(Takeover.Code.NONE);
    }

    @Test
    void coordinationUrlsSplitIntoConnectStringAndPath() {
        assertThat(CoordinationUrl.parse("zookeeper://zk1:2181,zk2:2181/ha/mha4j/"))
                .isEqualTo(new CoordinationUrl("zk1:2181,zk2:2181", "/ha/mha4j"));
        assertThat(CoordinationUrl.parse(" zookeeper://10.0.0.5:2181 ").path()).isEqualTo("/mha4j");
        assertThat(CoordinationUrl.parse("zookeeper://zk1:2181/a").namespace()).isEqualTo("a");
    }
}
