package org.mha4j.failover;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigEditor;
import org.mha4j.config.ServerConfig;
import org.mha4j.hook.HookCommand;
import org.mha4j.hook.HookRunner;
import org.mha4j.monitor.DeathVerdict;
import org.mha4j.monitor.UnansweredCheck;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.StatusFile;
import org.mha4j.promote.FailoverRecord;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.Steps;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.workdir.WorkdirLock;
import org.mha4j.promote.ChangeLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failover as MHA's named phases, in order, each logged with its duration and recorded as a step; the phases' work
 * on the servers is a {@link FailoverPhases}. Nothing changes in Phase 1; from Phase 2 on, a failure writes
 * {@code <app>.failover.error} and says what is left to do by hand, never leaving silently. Every failover, done or
 * not, leaves its record as JSON in manager_workdir.
 */
public final class FailoverRunner {
    private static final Logger log = LoggerFactory.getLogger("mha");
    static final String PHASE_1 = "Phase 1: Configuration Check Phase";
    static final String PHASE_2 = "Phase 2: Dead Master Shutdown Phase";
    static final String PHASE_3 = "Phase 3: Master Recovery Phase";
    static final String PHASE_4 = "Phase 4: Slaves Recovery Phase";
    static final String PHASE_5 = "Phase 5: New master cleanup phase";

    /**
     * @param masterSemiSyncWasOn the master's semi-sync status at the monitor's last good ping: only a hint for the
     *                            report, never a reason to skip the dead master's binlog (it may have fallen back since)
     * @param lastGoodPing        when the monitor last reached the master; empty when it never did (dead at start, manual)
     * @param gtidWait            bound of every wait for a server to apply transactions (MHA waits for ever)
     * @param detection           why it started: the monitor's death verdict; empty for a manual failover
     * @param lastUnansweredCheck the monitor's last check of the master, unanswered; empty for a manual failover
     */
    public record Settings(boolean ignoreLastFailover, Duration lastFailoverWindow, boolean removeDeadMasterConf,
                           boolean masterSemiSyncWasOn, FailoverOptions options, Duration gtidWait, Optional<Instant> lastGoodPing,
                           Optional<DeathVerdict.Verdict> detection, Optional<UnansweredCheck> lastUnansweredCheck) {
        public Settings(boolean ignoreLastFailover, Duration lastFailoverWindow, boolean removeDeadMasterConf,
                        boolean masterSemiSyncWasOn, FailoverOptions options, Duration gtidWait) {
            this(ignoreLastFailover, lastFailoverWindow, removeDeadMasterConf, masterSemiSyncWasOn, options, gtidWait, Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
    }

    /**
     * @param exitCode MHA's: 0 done, 10 done but some replica was not recovered, 1 refused or failed
     * @param refusal  the code, when it was refused
     * @param record   the JSON record, unless it could not be written
     */
    public record Result(int exitCode, Optional<ServerConfig> newMaster, List<String> report, Map<String, Long> phaseMillis,
                         Optional<Refusal.Code> refusal, Optional<Path> record) {
        public Result {
            report = List.copyOf(report);
            phaseMillis = Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
        }
    }

    /** What the phases share with the runner: the failover's inputs and where to say what happened. */
    record Context(AppConfig app, ServerConfig dead, Settings settings, List<String> report, Steps steps) {}

    private final AppConfig app;
    private final ServerConfig dead;
    private final Settings s;
    private final StatusFile status;
    private final FailoverFlags flags;
    private final Function<Context, FailoverPhases> phasesOf;
    private final List<String> report = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> phaseMillis = new LinkedHashMap<>();
    private final Steps steps;
    private final Coordination coordination;
    private final Instant started = Instant.now();
    private boolean phase2Started;
    private WorkdirLock failoverLock;

    FailoverRunner(AppConfig app, ServerConfig dead, Settings s, StatusFile status, Function<Context, FailoverPhases> phasesOf) {
        this(app, dead, s, status, phasesOf, Steps.Listener.NONE, Coordination.NONE);
    }

    FailoverRunner(AppConfig app, ServerConfig dead, Settings s, StatusFile status, Function<Context, FailoverPhases> phasesOf,
                   Steps.Listener listener, Coordination coordination) {
        this.coordination = coordination;
        this.steps = new Steps(new Steps.Listener() {
            @Override
            public void phaseEntered(String name) {
                listener.phaseEntered(name);
            }

            @Override
            public void stepEnded(org.mha4j.promote.Step step) {
                coordination.stepEnded(step);
                listener.stepEnded(step);
            }
        }, coordination::ensureLeader);
        this.app = app;
        this.dead = dead;
        this.s = s;
        this.status = status;
        this.phasesOf = phasesOf;
        this.flags = FailoverFlags.of(Path.of(app.first().managerWorkdir()), app.appName());
    }

    public static Result run(AppConfig app, ServerConfig dead, Settings s, StatusFile status) {
        return run(app, dead, s, status, Steps.Listener.NONE, Coordination.NONE);
    }

    /**
     * @param listener     follows the phases and steps as they happen
     * @param coordination shares the failover with the application's other managers (ZooKeeper)
     */
    public static Result run(AppConfig app, ServerConfig dead, Settings s, StatusFile status, Steps.Listener listener,
                             Coordination coordination) {
        return new FailoverRunner(app, dead, s, status, DeadMasterPhases::new, listener, coordination).run();
    }

    private <T> T phase(String name, Steps.Body<T> body) throws Exception {
        steps.enterPhase(name);
        long t0 = System.nanoTime();
        T out = steps.run(name, null, null, body);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        phaseMillis.put(name, ms);
        log.info("* {} completed in {} ms.", name, ms);
        return out;
    }

    Result run() {
        log.info("Master {} is down!", host(dead));
        log.info("Starting master failover.");
        report.add("Master " + host(dead) + " is down!");
        s.detection().ifPresent(v -> report.add(v.reason() + " [" + v.code() + "]"));
        report.add("Started automated(non-interactive) failover.");
        FailoverPhases phases = phasesOf.apply(new Context(app, dead, s, report, steps));
        coordination.started(dead);
        try {
            List<ServerSnapshot> replicas = phase(PHASE_1, () -> {
                coordination.ensureLeader();
                failoverLock = ChangeLock.take(app).orElse(null);
                if (s.ignoreLastFailover()) flags.clear();
                Optional<Refusal> refusal = flags.refusal(s.lastFailoverWindow(), Instant.now());
                if (refusal.isPresent()) throw refusal.get();
                Optional<Refusal> shared = sharedRefusal(Instant.now());
                if (shared.isPresent()) throw shared.get();
                status.write(ManagerStatus.FAILOVER_RUNNING, dead.hostname());
                return phases.configurationCheck();
            });
            phase2Started = true;
            boolean sshReachable = phase(PHASE_2, () -> phases.deadMasterShutdown(replicas));
            ServerSnapshot newMaster = phase(PHASE_3, () -> phases.masterRecovery(sshReachable));
            List<String> failed = phase(PHASE_4, () -> phases.slavesRecovery(newMaster));
            phase(PHASE_5, () -> {
                // Phase 4 reports a replica it could not recover and goes on; a lost lead must not end as "done"
                coordination.ensureLeader();
                phases.newMasterCleanup(newMaster);
                return null;
            });
            int code = failed.isEmpty() ? 0 : 10;
            if (code == 0 && s.removeDeadMasterConf()) removeDeadMasterBlock();
            String closing = code == 0 ? "Master failover to " + host(newMaster.config()) + " completed successfully."
                    : "Master failover to " + host(newMaster.config()) + " done, but recovery on slave partially failed: " + String.join("; ", failed);
            report.add(closing);
            flags.markComplete();
            finish(true, newMaster.config(), phases.newReplicas(newMaster));
            return ended(new Result(code, Optional.of(newMaster.config()), report, phaseMillis, Optional.empty(),
                    record(code, Optional.of(newMaster.config()), Optional.empty(), closing, phases.positions())));
        } catch (Exception e) {
            // a refusal, also one a statement's guard raised deep inside and that came up wrapped
            Optional<Refusal> refused = refusalIn(e);
            if (refused.isPresent()) {
                log.error("Failover refused: {}", refused.get().getMessage());
                report.add("Failover refused: " + refused.get().getMessage());
                return fail(phases, Optional.of(refused.get().code()));
            }
            log.error("Failover failed: {}", e.getMessage(), e);
            report.add("Failover failed: " + e.getMessage());
            return fail(phases, Optional.empty());
        } finally {
            phases.close();
            if (failoverLock != null) failoverLock.close();
        }
    }

    private Result fail(FailoverPhases phases, Optional<Refusal.Code> refusal) {
        String closing = report.getLast();
        // A manager that lost its leadership leaves the failover to the new leader: the error flag would block this
        // host's manager from the application's later failovers when it leads again.
        boolean handedOver = refusal.filter(c -> c == Refusal.Code.NOT_LEADER).isPresent();
        if (phase2Started) {
            if (handedOver) {
                report.add("This manager no longer leads the application: the manager that leads now takes the failover over"
                        + " (the journal in ZooKeeper lists these steps).");
            } else {
                flags.markError();
                report.add("Created " + flags.error() + ": no automatic failover until an operator removes it.");
            }
            List<String> left = phases.leftToDo();
            left.forEach(l -> log.error("{}", l));
            report.addAll(left);
        }
        status.write(ManagerStatus.FAILOVER_ERROR, dead.hostname());
        finish(false, null, List.of());
        return ended(new Result(1, Optional.empty(), report, phaseMillis, refusal, record(1, Optional.empty(), refusal, closing, Optional.empty())));
    }

    /** A refusal from a step deep inside (a statement's guard), wrapped on its way up. */
    private static Optional<Refusal> refusalIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Refusal r) return Optional.of(r);
        }
        return Optional.empty();
    }

    private Result ended(Result r) {
        coordination.ended(dead, r);
        return r;
    }

    /** last_failover_minute across the application's managers: a failover another one completed counts as this host's own. */
    private Optional<Refusal> sharedRefusal(Instant now) {
        if (s.ignoreLastFailover()) return Optional.empty();
        return coordination.lastCompleted().filter(l -> l.instant().plus(s.lastFailoverWindow()).isAfter(now))
                .map(l -> new Refusal(Refusal.Code.LAST_FAILOVER_TOO_RECENT, "last failover was done at " + l.at() + " by manager "
                        + l.manager() + " (" + l.dead() + " to " + l.newMaster() + ", recorded in ZooKeeper); current time is too early"
                        + " to do failover again (--last_failover_minute=" + s.lastFailoverWindow().toMinutes()
                        + "). Start with --ignore_last_failover to allow it"));
    }

    private Optional<Path> record(int exitCode, Optional<ServerConfig> newMaster, Optional<Refusal.Code> refusal, String closing,
                                  Optional<FailoverRecord.Positions> positions) {
        return FailoverRecord.save(app, "failover", FailoverRecord.hostPort(dead),
                s.detection().map(v -> v.code().name()).orElse("manual"), newMaster, started, exitCode,
                refusal, closing, steps, positions);
    }

    private void finish(boolean ok, ServerConfig newMaster, List<ServerConfig> newReplicas) {
        String subject = app.appName() + ": MySQL Master failover " + host(dead) + (newMaster == null ? "" : " to " + host(newMaster))
                + (ok ? " succeeded" : " failed");
        log.info("\n\n----- Failover Report -----\n\n{}\n\n{}\n", subject, String.join("\n", report));
        dead.reportScript().ifPresent(script -> {
            HookRunner.Result r = HookRunner.run(HookCommand.report(script, dead, newMaster, newReplicas, app.file(), subject,
                    String.join("\n", report)), dead.hookTimeout());
            log.info("report_script exited with {}", r.exitCode());
        });
    }

    /** --remove_dead_master_conf: the failover is done whether or not the file can be written (a full disk). */
    private void removeDeadMasterBlock() {
        try {
            ConfigEditor.removeBlock(app.file(), dead.block());
            log.info("Removed [{}] of the dead master from {}.", dead.block(), app.file());
        } catch (RuntimeException e) {
            log.error("Could not remove [{}] of the dead master from {} ({}): remove it by hand before the manager starts again.",
                    dead.block(), app.file(), e.getMessage());
            report.add("WARNING: [" + dead.block() + "] of the dead master is still in " + app.file() + ": remove it by hand.");
        }
    }

    static String host(ServerConfig c) {
        return c.hostname() + "(" + c.ip() + ":" + c.port() + ")";
    }
}
