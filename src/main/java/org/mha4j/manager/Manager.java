package org.mha4j.manager;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.mha4j.check.CheckOptions;
import org.mha4j.check.CheckReport;
import org.mha4j.check.Finding;
import org.mha4j.check.ReplUserGrants;
import org.mha4j.check.ReplUserProbe;
import org.mha4j.check.ReplicationHealth;
import org.mha4j.check.StartChecks;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigLoader;
import org.mha4j.config.Detection;
import org.mha4j.config.ServerConfig;
import org.mha4j.coordination.FailoverJournal;
import org.mha4j.coordination.Leadership;
import org.mha4j.coordination.Takeover;
import org.mha4j.failover.FailoverFlags;
import org.mha4j.failover.FailoverOptions;
import org.mha4j.failover.FailoverRunner;
import org.mha4j.monitor.HeartbeatPeriods;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.MasterMonitor;
import org.mha4j.monitor.MonitorLock;
import org.mha4j.monitor.NeedsRejoin;
import org.mha4j.monitor.Pause;
import org.mha4j.monitor.StatusFile;
import org.mha4j.promote.Refusal;
import org.mha4j.ssh.SshSessions;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.ServerLabels;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.Topology;
import org.mha4j.topology.TopologyDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code masterha_manager}: check the topology, watch the master, fail over when it dies, then (unlike MHA, which
 * exits) watch the new master. One application per Manager: masterha_manager runs one, mha serve one per application
 * in the same process (each on its own threads, told what happens through {@link ManagerEvents}).
 */
public final class Manager {
    private static final Logger log = LoggerFactory.getLogger("mha");

    public record Options(Path conf, Path globalConf, boolean removeDeadMasterConf, boolean ignoreLastFailover,
                          int lastFailoverMinute, boolean ignoreFailOnStart, int waitOnMonitorError, int waitOnFailoverError,
                          boolean exitAfterFailover, FailoverOptions failoverOptions, Duration gtidWait) {
        /** MHA's --last_failover_minute default. */
        public static final int LAST_FAILOVER_MINUTE = 480;
        /** --gtid_wait_seconds' default (MHA waits for ever). */
        public static final int GTID_WAIT_SECONDS = 600;

        /** masterha_manager's options when none is given (mha serve runs every application so). */
        public static Options defaults(Path conf, Path globalConf) {
            return new Options(conf, globalConf, false, false, LAST_FAILOVER_MINUTE, false, 0, 0, false, FailoverOptions.DEFAULT,
                    Duration.ofSeconds(GTID_WAIT_SECONDS));
        }
    }

    /** With coordination: how often a new leader tries again for MHA's failover lock on the replicas, and how long between. */
    private static final int LOCK_RETRIES = 12;
    private static final Duration LOCK_RETRY_PAUSE = Duration.ofSeconds(5);

    private final Options o;
    /** This manager among the application's managers (host:pid). */
    private final String me = Leadership.thisManager();
    private final AtomicBoolean stop;
    private final ManagerEvents events;
    private final Set<String> failedMasters = new HashSet<>();
    private volatile Duration lastDetection;
    private volatile FailoverRunner.Result lastFailoverResult;

    /** How long the last master death took to detect, and what its failover did: for benchmarks and reports. */
    public java.util.Optional<Duration> lastDetection() {
        return java.util.Optional.ofNullable(lastDetection);
    }

    public java.util.Optional<FailoverRunner.Result> lastFailover() {
        return java.util.Optional.ofNullable(lastFailoverResult);
    }

    public Manager(Options o, AtomicBoolean stop) {
        this(o, stop, ManagerEvents.NONE);
    }

    /** @param events told what the manager does as it happens (mha serve) */
    public Manager(Options o, AtomicBoolean stop, ManagerEvents events) {
        this.o = o;
        this.stop = stop;
        this.events = events;
    }

    /** @return MHA's exit code: 0 stopped or failover done, 10 failover with unrecovered replicas, 1 error */
    public int run() {
        AppConfig app = load();
        Leadership joined;
        try {
            joined = Leadership.of(app, me);
        } catch (IllegalStateException e) {
            log.error("MHA4J manager cannot start: {}.", e.getMessage());
            return 1;
        }
        try (Leadership lead = joined; MonitorLock lock = MonitorLock.onThisHost(app)) {
            return run(app, lock, lead);
        } catch (MonitorLock.Taken e) {
            log.error("MHA4J manager cannot start: {}.", e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            log.error("MHA4J manager cannot start: manager_workdir {}: {}", app.first().managerWorkdir(), e.getMessage());
            return 1;
        }
    }

    private int run(AppConfig app, MonitorLock lock, Leadership lead) {
        StatusFile status = StatusFile.of(app);
        status.standbyWhen(() -> !lead.leads());
        Semaphore leadershipChanged = new Semaphore(0);
        lead.onChange(() -> {
            status.refresh();
            leadershipChanged.release();
        });
        NeedsRejoin rejoin = NeedsRejoin.of(app);
        if (status.read().isPresent()) {
            log.warn("{} exists. You might have killed manager with SIGKILL(-9), or two managers monitor the same application.", status.path());
        }
        int lastFailover = 0;
        boolean atStart = true;
        while (!stop.get()) {
            status.write(ManagerStatus.INITIALIZING_MONITOR, "?");
            Topology t = new TopologyDiscovery(java.time.Clock.systemUTC()).discover(app);
            Map<String, ReplUserGrants> grants = ReplicationHealth.replicationUser(t)
                    .map(u -> ReplUserProbe.probe(t.alive(), u)).orElse(Map.of());
            // Lag and the seed's two-replica minimum matter to an operator's check, not to whether we can fail over.
            CheckReport report = ReplicationHealth.evaluate(t, grants, CheckOptions.manager(o.ignoreFailOnStart()));
            if (!(report.resolution() instanceof MasterResolution.Resolved r)) {
                return configError(status, report);
            }
            boolean deadAtStart = !r.masterAlive();
            List<Finding> inputs = StartChecks.forFailover(app, r, o.failoverOptions().newMasterHost());
            CheckReport inputReport = new CheckReport(inputs, report.resolution());
            if (!inputReport.healthy()) return configError(status, inputReport);
            inputs.stream().filter(f -> f.severity() == Finding.Severity.WARNING).forEach(f -> log.warn("{}", f.text()));
            // A master unreachable at start is the monitor's to judge; any other error stops the start, as in MHA
            // (another server down without ignore_fail=1 and --ignore_fail_on_start, a failed replica, ...).
            String masterLabel = ServerLabels.label(r.master());
            List<Finding> blocking = report.errors().stream()
                    .filter(e -> !(deadAtStart && e.check().equals("connect") && e.server().filter(masterLabel::equals).isPresent())).toList();
            if (!blocking.isEmpty()) return configError(status, new CheckReport(blocking, report.resolution()));
            report.findings().stream().filter(f -> f.severity() == Finding.Severity.WARNING).forEach(f -> log.warn("{}", f.text()));
            ServerConfig master = r.master();
            // At start, an old master listed as needing rejoin that now replicates from this master (or left the config) has
            // rejoined. Not after this manager's own failover: the old master it watches is left out of its config view.
            if (atStart) {
                Set<String> replicating = r.replicas().stream().map(x -> x.config().id()).collect(Collectors.toSet());
                rejoin.retainOnly(app.servers().stream().map(ServerConfig::id).filter(id -> !replicating.contains(id) && !id.equals(master.id()))
                        .collect(Collectors.toSet()));
            }
            // With coordination, ZooKeeper decides who leads; the lock on the master would keep the standbys out.
            Optional<String> otherManager = deadAtStart || lead.coordinated() ? Optional.empty()
                    : lock.takeOnMaster(master, Duration.ofSeconds(4L * Math.max(1, master.pingInterval())));
            if (otherManager.isPresent()) {
                log.error("MHA4J manager cannot start: {}.", otherManager.get());
                status.delete();
                return 1;
            }
            log.info("Monitoring master {} ({} replica(s)).", master.id(), r.replicas().size());
            if (!deadAtStart) SshSessions.warm(master);
            if (deadAtStart) {
                // Not reaching the master is not knowing it is dead: the link from here may be what is broken. It gets
                // the same pings, secondary check and replicas' confirmation as a master that dies while watched.
                log.warn("Master {} is not reachable at start: it is failed over only if the checks below confirm it is gone.", master.id());
            }
            if (!deadAtStart && master.detection() == Detection.FAST) {
                HeartbeatPeriods.ensure(master, r.replicas().stream().map(ServerSnapshot::config).toList());
            }
            boolean semiSync = r.masterSnapshot().map(ServerSnapshot::semiSync).flatMap(s -> s.masterActive()).orElse(false);
            List<ServerConfig> replicas = r.replicas().stream().map(ServerSnapshot::config).toList();
            events.watching(master, replicas);
            Instant watchStart = Instant.now();
            MasterMonitor.Outcome outcome = new MasterMonitor(master, replicas, status, stop, semiSync, !deadAtStart, events).watch();
            if (outcome instanceof MasterMonitor.Outcome.Stopped) break;
            MasterMonitor.Outcome.Dead dead = (MasterMonitor.Outcome.Dead) outcome;
            lock.releaseMaster();
            lastDetection = dead.detection();
            atStart = false;
            FailoverRunner.Result result = null;
            int lockRetries = 0;
            Standby.Next next = Standby.Next.FAIL_OVER;
            while (result == null && next == Standby.Next.FAIL_OVER) {
                if (!lead.leads()) {
                    leadershipChanged.drainPermits();
                    next = new Standby(lead, stop, leadershipChanged).await(dead.master(), deadAtStart ? null : watchStart);
                    continue;
                }
                if (!takeOver(lead, dead.master(), status)) return 1;
                result = failOver(dead, lead, status);
                if (result.refusal().filter(c -> c == Refusal.Code.NOT_LEADER).isPresent()) {
                    log.warn("This manager stopped the failover of {} when it could no longer prove it leads {}; the leader finishes it.",
                            dead.master().id(), app.appName());
                    result = null;
                } else if (lead.coordinated() && result.refusal().filter(c -> c == Refusal.Code.LOCK_TAKEN).isPresent()
                        && ++lockRetries <= LOCK_RETRIES) {
                    // The manager that led before may still hold MHA's lock on the replicas: its guard stops it at its
                    // next change, which ends its sessions and their locks. Nothing was changed here (Phase 1).
                    log.warn("The failover lock is still held, most likely by the manager that led before; trying again in {} s ({}/{}).",
                            LOCK_RETRY_PAUSE.toSeconds(), lockRetries, LOCK_RETRIES);
                    Pause.sleep(stop, LOCK_RETRY_PAUSE.toMillis());
                    result = null;
                }
            }
            if (next == Standby.Next.STOP) break;
            if (next == Standby.Next.FAILED_OVER || next == Standby.Next.WATCH_AGAIN) {
                if (next == Standby.Next.FAILED_OVER) failedMasters.add(dead.master().block());
                app = load();
                continue;
            }
            if (result.exitCode() != 0 && result.exitCode() != 10) {
                sleep(o.waitOnFailoverError());
                status.delete();
                return 1;
            }
            lastFailover = result.exitCode();
            failedMasters.add(dead.master().block());
            if (o.failoverOptions().skipChangeMaster()) {
                log.warn("--skip_change_master: the replicas were not re-pointed, so there is no replication to watch; exiting.");
                break;
            }
            if (o.exitAfterFailover()) {
                log.warn("--exit_after_failover: nobody watches the old master {} any more; if it comes back it may be writable."
                        + " Check it before it rejoins.", dead.master().id());
                break;
            }
            ServerConfig newMaster = result.newMaster().orElseThrow();
            Thread.ofVirtual().name("old-master-watch").start(new OldMasterWatch(dead.master(), newMaster, rejoin, stop));
            app = load();
            log.info("Failover done; monitoring the new master {} (use --exit_after_failover for MHA's exit).",
                    result.newMaster().map(ServerConfig::id).orElse("?"));
        }
        status.delete();
        return lastFailover;
    }

    /**
     * --ignore_last_failover is for the failover this start was made for (MHA's manager exits after one): a later one in
     * this process is guarded by last_failover_minute again.
     */
    private boolean ignoreLastFailover() {
        return o.ignoreLastFailover() && failedMasters.isEmpty();
    }

    private FailoverRunner.Result failOver(MasterMonitor.Outcome.Dead dead, Leadership lead, StatusFile status) {
        events.failoverStarted(dead.master(), dead.detection());
        FailoverRunner.Result result = FailoverRunner.run(load(), dead.master(), new FailoverRunner.Settings(ignoreLastFailover(),
                Duration.ofMinutes(o.lastFailoverMinute()), o.removeDeadMasterConf(), dead.semiSyncWasOn(), o.failoverOptions(),
                o.gtidWait(), dead.lastGoodPing(), Optional.of(dead.verdict()), dead.lastUnansweredCheck()), status, events, lead);
        lastFailoverResult = result;
        events.failoverEnded(dead.master(), result);
        return result;
    }

    /**
     * A failover of this master that an earlier leader left running: run it again when it changed no server, else stop
     * with the account of what it did (and the failover error flag, as after a failed failover).
     *
     * @return false when this manager must stop
     */
    private boolean takeOver(Leadership lead, ServerConfig dead, StatusFile status) {
        Optional<FailoverJournal> j = lead.journal();
        Takeover.Verdict v = Takeover.judge(j.orElse(null), dead.id(), me, ignoreLastFailover());
        if (v.code() == Takeover.Code.NONE) return true;
        v.account().forEach(line -> log.warn("{}", line));
        if (FailoverJournal.RUNNING.equals(j.orElseThrow().state())) lead.takenOver(j.get(), v);
        if (v.code() == Takeover.Code.RERUN) return true;
        AppConfig app = load();
        FailoverFlags flags = FailoverFlags.of(Path.of(app.first().managerWorkdir()), app.appName());
        flags.markError();
        log.error("Failover of {} NOT taken over: created {}; no automatic failover until an operator finishes it and removes it.",
                dead.id(), flags.error());
        status.write(ManagerStatus.FAILOVER_ERROR, dead.hostname());
        sleep(o.waitOnFailoverError());
        status.delete();
        return false;
    }

    /** The config, without the masters this manager already failed away from (their blocks stay unless removed). */
    private AppConfig load() {
        AppConfig a = ConfigLoader.load(o.conf(), o.globalConf());
        List<ServerConfig> keep = a.servers().stream().filter(s -> !failedMasters.contains(s.block())).toList();
        return new AppConfig(a.file(), a.globalFile(), a.appName(), keep);
    }

    private int configError(StatusFile status, CheckReport report) {
        report.errors().forEach(f -> log.error("{}", f.text()));
        log.error("MHA4J manager cannot start: the servers are not correctly configured (see above; masterha_check_repl gives the details).");
        status.write(ManagerStatus.CONFIG_ERROR, "?");
        sleep(o.waitOnMonitorError());
        status.delete();
        return 1;
    }

    private void sleep(int seconds) {
        Pause.sleep(stop, seconds * 1000L);
    }
}
