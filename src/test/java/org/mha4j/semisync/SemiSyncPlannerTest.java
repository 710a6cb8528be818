package org.mha4j.semisync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigLoader;
import org.mha4j.topology.BinlogFilters;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.GtidState;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.MysqlGtidSet;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ReplicationFilters;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.ServerVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The statements per flavour and version, checked without a server (MySQL paths are built from the reference manual). */
class SemiSyncPlannerTest {

    @TempDir
    Path dir;

    private AppConfig app() throws IOException {
        Path f = Files.writeString(dir.resolve("app1.conf"), "[server1]\nhostname=m\n[server2]\nhostname=r1\n[server3]\nhostname=r2\n");
        return ConfigLoader.load(f, Files.writeString(dir.resolve("g.cnf"), ""));
    }

    /** A server of the given version whose global variables are {@code vars} (what SHOW GLOBAL VARIABLES returned). */
    private static ServerSnapshot server(AppConfig app, int i, String version, Map<String, String> vars, boolean replica) {
        ServerVersion v = ServerVersion.parse(version, version.contains("MariaDB") ? "MariaDB" : "MySQL Community Server - GPL");
        Map<String, String> all = new HashMap<>(vars);
        Optional<ReplicaStatus> rs = replica ? Optional.of(new ReplicaStatus("m", 3306, "repl", ReplicaStatus.ThreadState.YES, true,
                java.util.OptionalLong.of(0), 0, "", 0, "", "b.1", 4, "b.1", 4, "No", "", Optional.empty(), ReplicationFilters.NONE))
                : Optional.empty();
        return new ServerSnapshot(app.servers().get(i), v, i + 1, Optional.empty(), true, true, replica, Optional.empty(), "ROW",
                new GtidState(true, "ON", MysqlGtidSet.empty()), rs, BinlogFilters.NONE,
                Dialect.of(v).semiSync(all, Map.of()), Map.copyOf(all), Optional.empty());
    }

    private MasterResolution.Resolved cluster(String version, Map<String, String> masterVars, Map<String, String> replicaVars) throws IOException {
        AppConfig a = app();
        ServerSnapshot m = server(a, 0, version, masterVars, false);
        return new MasterResolution.Resolved(a.servers().getFirst(), Optional.of(m),
                List.of(server(a, 1, version, replicaVars, true), server(a, 2, version, replicaVars, true)), List.of());
    }

    private static final SemiSyncSettings LOSSLESS_5S = new SemiSyncSettings(5000, "AFTER_SYNC", OptionalInt.of(1));

    @Test
    void mysql57InstallsTheSeedsPluginsAndPrintsMyCnfLines() throws IOException {
        List<ServerAction> plan = SemiSyncPlanner.enable(cluster("5.7.31-log", Map.of(), Map.of()), LOSSLESS_5S);
        assertThat(plan.getFirst().sql()).containsExactly(
                "INSTALL PLUGIN rpl_semi_sync_master SONAME 'semisync_master.so'",
                "SET GLOBAL rpl_semi_sync_master_wait_point=AFTER_SYNC",
                "SET GLOBAL rpl_semi_sync_master_timeout=5000",
                "SET GLOBAL rpl_semi_sync_master_wait_for_slave_count=1",
                "SET GLOBAL rpl_semi_sync_master_enabled=ON");
        assertThat(plan.getFirst().myCnfLines()).contains("plugin-load-add=semisync_master.so", "rpl_semi_sync_master_enabled=ON");
        ServerAction replica = plan.get(1);
        assertThat(replica.sql()).containsExactly(
                "INSTALL PLUGIN rpl_semi_sync_slave SONAME 'semisync_slave.so'",
                "SET GLOBAL rpl_semi_sync_slave_enabled=ON");
        assertThat(replica.restartIo()).isTrue();
        assertThat(Dialect.of(replica.server().version()).restartIoThread()).containsExactly("STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD");
    }

    @Test
    void mysql80From26UsesTheSourceReplicaPluginsAndSetPersist() throws IOException {
        List<ServerAction> plan = SemiSyncPlanner.enable(cluster("8.0.36", Map.of(), Map.of()), LOSSLESS_5S);
        assertThat(plan.getFirst().sql()).containsExactly(
                "INSTALL PLUGIN rpl_semi_sync_source SONAME 'semisync_source.so'",
                "SET PERSIST rpl_semi_sync_source_wait_point=AFTER_SYNC",
                "SET PERSIST rpl_semi_sync_source_timeout=5000",
                "SET PERSIST rpl_semi_sync_source_wait_for_replica_count=1",
                "SET PERSIST rpl_semi_sync_source_enabled=ON");
        assertThat(plan.getFirst().myCnfLines()).isEmpty();
        assertThat(plan.get(1).sql()).containsExactly(
                "INSTALL PLUGIN rpl_semi_sync_replica SONAME 'semisync_replica.so'",
                "SET PERSIST rpl_semi_sync_replica_enabled=ON");
        assertThat(Dialect.of(plan.get(1).server().version()).restartIoThread()).containsExactly("STOP REPLICA IO_THREAD", "START REPLICA IO_THREAD");
    }

    @Test
    void mysql8WithTheOldPluginsLoadedKeepsTheirNamesAndInstallsNothing() throws IOException {
        Map<String, String> master = Map.of("rpl_semi_sync_master_enabled", "OFF", "rpl_semi_sync_master_timeout", "10000");
        Map<String, String> replica = Map.of("rpl_semi_sync_slave_enabled", "OFF");
        List<ServerAction> plan = SemiSyncPlanner.enable(cluster("8.0.36", master, replica), new SemiSyncSettings(3000, "AFTER_SYNC", OptionalInt.empty()));
        assertThat(plan.getFirst().sql()).containsExactly(
                "SET PERSIST rpl_semi_sync_master_wait_point=AFTER_SYNC",
                "SET PERSIST rpl_semi_sync_master_timeout=3000",
                "SET PERSIST rpl_semi_sync_master_enabled=ON");
        assertThat(plan.get(1).sql()).containsExactly("SET PERSIST rpl_semi_sync_slave_enabled=ON");
    }

    @Test
    void mariadbHasItBuiltInAndReplicasLoseTheirMasterSide() throws IOException {
        Map<String, String> vars = Map.of("rpl_semi_sync_master_enabled", "ON", "rpl_semi_sync_slave_enabled", "OFF",
                "rpl_semi_sync_master_timeout", "10000", "rpl_semi_sync_master_wait_point", "AFTER_COMMIT");
        List<ServerAction> plan = SemiSyncPlanner.enable(cluster("10.11.19-MariaDB-log", vars, vars), LOSSLESS_5S);
        assertThat(plan).allSatisfy(a -> assertThat(a.sql()).noneMatch(s -> s.startsWith("INSTALL")));
        assertThat(plan.getFirst().sql()).doesNotContain("SET GLOBAL rpl_semi_sync_master_wait_for_slave_count=1");
        assertThat(plan.get(1).sql()).containsExactly(
                "SET GLOBAL rpl_semi_sync_slave_enabled=ON",
                "SET GLOBAL rpl_semi_sync_master_enabled=OFF",
                "SET GLOBAL rpl_semi_sync_master_wait_point=AFTER_SYNC",
                "SET GLOBAL rpl_semi_sync_master_timeout=5000");
        assertThat(plan.get(1).myCnfLines()).contains("rpl_semi_sync_master_enabled=OFF", "rpl_semi_sync_slave_enabled=ON");
    }

    @Test
    void uninstallRemovesPluginsOnMysqlOnly() throws IOException {
        Map<String, String> master = Map.of("rpl_semi_sync_source_enabled", "ON");
        Map<String, String> replica = Map.of("rpl_semi_sync_replica_enabled", "ON");
        List<ServerAction> plan = SemiSyncPlanner.uninstall(cluster("8.4.3", master, replica));
        assertThat(plan.getFirst().sql()).containsExactly("SET PERSIST rpl_semi_sync_source_enabled=OFF", "UNINSTALL PLUGIN rpl_semi_sync_source");
        assertThat(plan.get(1).sql()).containsExactly("SET PERSIST rpl_semi_sync_replica_enabled=OFF", "UNINSTALL PLUGIN rpl_semi_sync_replica");
        Map<String, String> maria = Map.of("rpl_semi_sync_master_enabled", "ON", "rpl_semi_sync_slave_enabled", "ON");
        assertThat(SemiSyncPlanner.uninstall(cluster("10.11.19-MariaDB", maria, maria)))
                .allSatisfy(a -> assertThat(a.sql()).noneMatch(s -> s.startsWith("UNINSTALL")));
    }

    @Test
    void aDeadMasterCannotBeChanged() throws IOException {
        AppConfig a = app();
        MasterResolution.Resolved r = new MasterResolution.Resolved(a.servers().getFirst(), Optional.empty(), List.of(), List.of());
        assertThatThrownBy(() -> SemiSyncPlanner.enable(r, LOSSLESS_5S)).hasMessageContaining("server1 (m:3306) is not reachable");
    }
}
