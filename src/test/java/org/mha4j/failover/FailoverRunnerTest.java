package org.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.StatusFile;
import org.mha4j.promote.FailoverRecord;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.Step;
import org.mha4j.testing.Records;
import org.mha4j.testing.Snapshots;
import org.mha4j.topology.ServerSnapshot;

/**
 * The failover's phase list without servers: the order of MHA's phases, that a refusal in Phase 1 comes before any
 * change, what a failure after the first change leaves behind, and the JSON record of each.
 */
class FailoverRunnerTest {

    @TempDir
    Path workdir;

    /** Records which phases ran; each may be told to refuse or fail. */
    private static final class ScriptedPhases implements FailoverPhases {
        final List<String> calls = new ArrayList<>();
        final List<ServerSnapshot> replicas;
        Refusal refuseInPhase1;
        Exception failInPhase3;
        boolean closed;

        ScriptedPhases(List<ServerSnapshot> replicas) {
            this.replicas = replicas;
        }

        @Override
        public List<ServerSnapshot> configurationCheck() throws Refusal {
            calls.add("configurationCheck");
            if (refuseInPhase1 != null) throw refuseInPhase1;
            return replicas;
        }

        @Override
        public boolean deadMasterShutdown(List<ServerSnapshot> r) {
            calls.add("deadMasterShutdown");
            return true;
        }

        @Override
        public ServerSnapshot masterRecovery(boolean ssh) throws Exception {
            calls.add("masterRecovery");
            if (failInPhase3 != null) throw failInPhase3;
            return replicas.getFirst();
        }

        @Override
        public List<String> slavesRecovery(ServerSnapshot nm) {
            calls.add("slavesRecovery");
            return List.of();
        }

        @Override
        public void newMasterCleanup(ServerSnapshot nm) {
            calls.add("newMasterCleanup");
        }

        @Override
        public List<ServerConfig> newReplicas(ServerSnapshot nm) {
            return replicas.stream().skip(1).map(ServerSnapshot::config).toList();
        }

        @Override
        public List<String> leftToDo() {
            calls.add("leftToDo");
            return List.of("----- What is left to do by hand -----", "server2: the scripted step");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private AppConfig app() {
        return Snapshots.config("[server default]\nuser=mha\nmanager_workdir=" + workdir + "\n"
                + "[server1]\nhostname=10.0.0.1\n[server2]\nhostname=10.0.0.2\n[server3]\nhostname=10.0.0.3\n");
    }

    private static FailoverRunner.Settings settings() {
        return new FailoverRunner.Settings(false, Duration.ofMinutes(480), false, true, FailoverOptions.DEFAULT, Duration.ofSeconds(5));
    }

    private FailoverRunner.Result run(AppConfig app, ScriptedPhases phases) {
        return new FailoverRunner(app, app.first(), settings(), new StatusFile(workdir, app.appName()), c -> phases).run();
    }

    private static List<ServerSnapshot> replicas(AppConfig app) {
        return Snapshots.healthy(app).stream().skip(1).map(Snapshots.S::snapshot).toList();
    }

    @Test
    void runsMhasPhasesInOrderAndRecordsThem() throws Exception {
        AppConfig app = app();
        ScriptedPhases phases = new ScriptedPhases(replicas(app));
        FailoverRunner.Result r = run(app, phases);

        assertThat(r.exitCode()).isZero();
        assertThat(r.newMaster()).contains(app.servers().get(1));
        assertThat(phases.calls).containsExactly("configurationCheck", "deadMasterShutdown", "masterRecovery", "slavesRecovery", "newMasterCleanup");
        assertThat(phases.closed).isTrue();
        assertThat(r.phaseMillis().keySet()).containsExactly(FailoverRunner.PHASE_1, FailoverRunner.PHASE_2, FailoverRunner.PHASE_3,
                FailoverRunner.PHASE_4, FailoverRunner.PHASE_5);
        assertThat(Files.exists(FailoverFlags.of(workdir, app.appName()).complete())).isTrue();

        FailoverRecord rec = Records.read(r.record().orElseThrow());
        assertThat(rec.kind()).isEqualTo("failover");
        assertThat(rec.outcome()).isEqualTo("done");
        assertThat(rec.master()).isEqualTo("10.0.0.1:3306");
        assertThat(rec.cause()).isEqualTo("manual");
        assertThat(rec.newMaster()).isEqualTo("10.0.0.2:3306");
        assertThat(rec.exitCode()).isZero();
        assertThat(rec.steps()).extracting(Step::name).containsExactly(FailoverRunner.PHASE_1, FailoverRunner.PHASE_2, FailoverRunner.PHASE_3,
                FailoverRunner.PHASE_4, FailoverRunner.PHASE_5);
        assertThat(rec.steps()).allSatisfy(s -> {
            assertThat(s.outcome()).isEqualTo(Step.OK);
            assertThat(Instant.parse(s.start())).isBetween(Instant.parse(rec.started()), Instant.parse(rec.ended()));
        });
    }

    @Test
    void aRefusalInPhase1ComesBeforeAnyChange() throws Exception {
        AppConfig app = app();
        ScriptedPhases phases = new ScriptedPhases(replicas(app));
        phases.refuseInPhase1 = new Refusal(Refusal.Code.REPLICAS_DIVERGED, "server2 and server3 diverged");
        FailoverRunner.Result r = run(app, phases);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.refusal()).contains(Refusal.Code.REPLICAS_DIVERGED);
        assertThat(phases.calls).containsExactly("configurationCheck");
        assertThat(phases.closed).isTrue();
        FailoverFlags flags = FailoverFlags.of(workdir, app.appName());
        assertThat(Files.exists(flags.error())).as("nothing changed, so no error flag blocks the next failover").isFalse();
        assertThat(Files.exists(flags.complete())).isFalse();
        assertThat(r.report()).noneMatch(l -> l.contains("left to do by hand"));
        assertThat(new StatusFile(workdir, app.appName()).read().orElseThrow().status()).isEqualTo(ManagerStatus.FAILOVER_ERROR);

        FailoverRecord rec = Records.read(r.record().orElseThrow());
        assertThat(rec.outcome()).isEqualTo("refused");
        assertThat(rec.refusal()).isEqualTo("REPLICAS_DIVERGED");
        assertThat(rec.message()).isEqualTo("Failover refused: server2 and server3 diverged");
        assertThat(rec.steps()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(FailoverRunner.PHASE_1);
            assertThat(s.outcome()).isEqualTo(Step.REFUSED);
            assertThat(s.detail()).startsWith("REPLICAS_DIVERGED");
        });
    }

    @Test
    void anEarlierFailoverWithinTheWindowIsRefusedBeforePhase1Touches() throws Exception {
        AppConfig app = app();
        FailoverFlags.of(workdir, app.appName()).markComplete();
        ScriptedPhases phases = new ScriptedPhases(replicas(app));
        FailoverRunner.Result r = run(app, phases);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.refusal()).contains(Refusal.Code.LAST_FAILOVER_TOO_RECENT);
        assertThat(phases.calls).isEmpty();
    }

    @Test
    void aFailureAfterTheFirstChangeBlocksTheNextFailoverAndSaysWhatIsLeft() throws Exception {
        AppConfig app = app();
        ScriptedPhases phases = new ScriptedPhases(replicas(app));
        phases.failInPhase3 = new java.sql.SQLException("server2 went away");
        FailoverRunner.Result r = run(app, phases);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.refusal()).isEmpty();
        assertThat(phases.calls).containsExactly("configurationCheck", "deadMasterShutdown", "masterRecovery", "leftToDo");
        assertThat(Files.exists(FailoverFlags.of(workdir, app.appName()).error())).isTrue();
        assertThat(r.report()).contains("server2: the scripted step");

        FailoverRecord rec = Records.read(r.record().orElseThrow());
        assertThat(rec.outcome()).isEqualTo("failed");
        assertThat(rec.newMaster()).isNull();
        assertThat(rec.steps()).extracting(Step::outcome).containsExactly(Step.OK, Step.OK, Step.FAILED);
        assertThat(rec.steps().getLast().detail()).isEqualTo("server2 went away");
    }
}
