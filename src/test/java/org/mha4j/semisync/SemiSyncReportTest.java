package org.mha4j.semisync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.mha4j.topology.SemiSyncNames;
import org.mha4j.topology.SemiSyncState;
import org.junit.jupiter.api.Test;

class SemiSyncReportTest {

    private static SemiSyncState master(boolean enabled, boolean active, long clients, String waitPoint) {
        return new SemiSyncState(true, SemiSyncNames.MARIADB, enabled, false, Optional.of(active), Optional.empty(),
                OptionalLong.of(clients), OptionalLong.of(10), OptionalLong.of(3), OptionalLong.of(250), OptionalLong.of(2000),
                Optional.of(waitPoint), OptionalLong.empty());
    }

    private static SemiSyncReport verdict(SemiSyncState s) {
        return SemiSyncReport.verdict(List.of(), s);
    }

    @Test
    void verdicts() {
        assertThat(verdict(master(true, true, 2, "AFTER_SYNC"))).satisfies(r -> {
            assertThat(r.verdict()).isEqualTo(SemiSyncReport.Verdict.LOSSLESS);
            assertThat(r.verdictText()).isEqualTo("lossless: 2 semi-sync replica(s) acknowledge every commit (AFTER_SYNC), fallback to async after 2000 ms");
        });
        assertThat(verdict(master(true, false, 0, "AFTER_SYNC")).verdictText()).startsWith("degraded: master fell back to async (no_tx=3");
        assertThat(verdict(master(true, true, 0, "AFTER_SYNC")).verdictText()).startsWith("degraded: no semi-sync replica is connected");
        assertThat(verdict(master(true, true, 2, "AFTER_COMMIT")).verdict()).isEqualTo(SemiSyncReport.Verdict.DEGRADED);
        assertThat(verdict(master(false, false, 0, "AFTER_SYNC")).verdict()).isEqualTo(SemiSyncReport.Verdict.OFF);
        assertThat(verdict(SemiSyncState.unavailable(SemiSyncNames.CLASSIC)).verdict()).isEqualTo(SemiSyncReport.Verdict.OFF);
    }

    @Test
    void anInfiniteTimeoutIsShownWithItsPrice() {
        SemiSyncState infinite = new SemiSyncState(true, SemiSyncNames.MARIADB, true, false, Optional.of(true), Optional.empty(),
                OptionalLong.of(2), OptionalLong.of(10), OptionalLong.of(0), OptionalLong.of(250), OptionalLong.of(4_294_967_295L),
                Optional.of("AFTER_SYNC"), OptionalLong.empty());
        assertThat(verdict(infinite).verdictText()).contains("never falls back to async").contains("writes block while no replica acknowledges");
        SemiSyncState alone = new SemiSyncState(true, SemiSyncNames.MARIADB, true, false, Optional.of(true), Optional.empty(),
                OptionalLong.of(0), OptionalLong.of(10), OptionalLong.of(0), OptionalLong.of(250), OptionalLong.of(4_294_967_295L),
                Optional.of("AFTER_SYNC"), OptionalLong.empty());
        assertThat(verdict(alone).verdictText()).contains("commits block until one acknowledges (semi_sync_timeout=infinite)");
        SemiSyncReport table = new SemiSyncReport(List.of(new SemiSyncReport.Row("server1", "master", "ON", "OFF", "ON", "2", "5", "0",
                "250", "4294967295", "AFTER_SYNC")), SemiSyncReport.Verdict.LOSSLESS, "ok");
        assertThat(table.table()).contains("infinite");
        assertThat(table.json()).contains("\"timeout_ms\":4294967295");
    }

    @Test
    void exitCodesForMonitoring() {
        assertThat(SemiSyncReport.Verdict.LOSSLESS.exitCode).isZero();
        assertThat(SemiSyncReport.Verdict.DEGRADED.exitCode).isEqualTo(2);
        assertThat(SemiSyncReport.Verdict.OFF.exitCode).isEqualTo(3);
    }

    @Test
    void jsonEscapesAndUsesNullForUnknownNumbers() {
        SemiSyncReport r = new SemiSyncReport(List.of(new SemiSyncReport.Row("s\"1", "master", "ON", "OFF", "ON", "2", "-", "0",
                "-", "2000", "-")), SemiSyncReport.Verdict.LOSSLESS, "ok");
        assertThat(r.json()).isEqualTo("{\"verdict\":\"lossless\",\"verdict_text\":\"ok\",\"servers\":[{\"server\":\"s\\\"1\",\"role\":\"master\","
                + "\"master_side\":\"ON\",\"replica_side\":\"OFF\",\"status\":\"ON\",\"clients\":2,\"yes_tx\":null,\"no_tx\":0,"
                + "\"avg_wait_us\":null,\"timeout_ms\":2000,\"wait_point\":null}]}");
    }
}
