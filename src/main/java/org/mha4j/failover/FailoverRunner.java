package org.mha4j.failover;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigEditor;
import org.mha4j.config.SemiSyncMode;
import org.mha4j.config.ServerConfig;
import org.mha4j.fence.OldMasterFence;
import org.mha4j.hook.HookCommand;
import org.mha4j.hook.HookRunner;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.StatusFile;
import org.mha4j.node.RelayLogLocation;
import org.mha4j.node.RelayPositionNotFound;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshFailure;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.Db;
import org.mha4j.topology.Flavor;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.SemiSyncNames;
import org.mha4j.topology.ServerLabels;
import org.mha4j.topology.ServerProbe;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.TopologyDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GTID failover as MHA's named phases, each logged with its duration. Nothing changes before Phase 2; from
 * Phase 2 on, a failure writes {@code <app>.failover.error} and says where it stopped, never leaving silently.
 */
public final class FailoverRunner {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private static final Duration HOOK_TIMEOUT = Duration.ofMinutes(5);

    /**
     * @param masterSemiSyncWasOn the master's semi-sync status at the monitor's last good ping: only a hint for the
     *                            report, never a reason to skip the dead master's binlog (it may have fallen back since)
     * @param lastGoodPing        when the monitor last reached the master; empty when it never did (dead at start, manual)
     * @param gtidWait            bound of every wait for a server to apply transactions (MHA waits for ever)
     */
    public record Settings(boolean ignoreLastFailover, Duration lastFailoverWindow, boolean removeDeadMasterConf,
                           boolean masterSemiSyncWasOn, FailoverOptions options, Duration gtidWait, Optional<Instant> lastGoodPing) {
        public Settings(boolean ignoreLastFailover, Duration lastFailoverWindow, boolean removeDeadMasterConf,
                        boolean masterSemiSyncWasOn, FailoverOptions options, Duration gtidWait) {
            this(ignoreLastFailover, lastFailoverWindow, removeDeadMasterConf, masterSemiSyncWasOn, options, gtidWait, Optional.empty());
        }
    }

    /** @param exitCode MHA's: 0 done, 10 done but some replica was not recovered, 1 refused or failed */
    public record Result(int exitCode, Optional<ServerConfig> newMaster, List<String> report, Map<String, Long> phaseMillis) {
        public Result {
            report = List.copyOf(report);
            phaseMillis = Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
        }
    }

    private final AppConfig app;
    private final ServerConfig dead;
    private final Settings s;
    private final StatusFile status;
    private final FailoverFlags flags;
    private final List<String> report = new ArrayList<>();
    private final Map<String, Long> phaseMillis = new LinkedHashMap<>();
    private boolean phase2Started;
    /** What a failure must tell the operator is left: the replicas of Phase 1, the new master once chosen and activated. */
    private List<ServerSnapshot> phase1Replicas = List.of();
    private ServerSnapshot chosen;
    private boolean activated;
    /** Every replica uses GTID auto-positioning; otherwise the file/position path with the node tools runs. */
    private boolean gtid = true;
    private LogRecovery logs;
    private FailoverLocks locks;
    /** Position path: the replicas as they stood after their SQL threads stopped, the latest one's relay logs. */
    private List<ServerSnapshot> drained;
    private ServerSnapshot latest;
    private RelayLogLocation latestLogs;
    private Optional<Path> savedBinlog = Optional.empty();
    private BinlogPosition newMasterPosition;

    private FailoverRunner(AppConfig app, ServerConfig dead, Settings s, StatusFile status) {
        this.app = app;
        this.dead = dead;
        this.s = s;
        this.status = status;
        this.flags = FailoverFlags.of(Path.of(app.first().managerWorkdir()), app.appName());
    }

    public static Result run(AppConfig app, ServerConfig dead, Settings s, StatusFile status) {
        return new FailoverRunner(app, dead, s, status).run();
    }

    private interface Phase<T> {
        T run() throws Exception;
    }

    private <T> T phase(String name, Phase<T> body) throws Exception {
        log.info("* {}..", name);
        long t0 = System.nanoTime();
        T out = body.run();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        phaseMillis.put(name, ms);
        log.info("* {} completed in {} ms.", name, ms);
        return out;
    }

    private Result run() {
        report.add("Master " + host(dead) + " is down!");
        report.add("Started automated(non-interactive) failover.");
        try {
            List<ServerSnapshot> replicas = phase("Phase 1: Configuration Check Phase", this::configurationCheck);
            boolean sshReachable = phase("Phase 2: Dead Master Shutdown Phase", () -> shutdown(replicas));
            ServerSnapshot newMaster = phase("Phase 3: Master Recovery Phase", () -> gtid ? recoverMaster(replicas, sshReachable)
                    : recoverMasterByPosition(replicas, sshReachable));
            List<ServerSnapshot> others = (gtid ? replicas : drained).stream().filter(r -> !r.config().equals(newMaster.config())).toList();
            List<String> failed = phase("Phase 4: Slaves Recovery Phase", () -> gtid ? recoverReplicas(newMaster, others)
                    : recoverReplicasByPosition(newMaster, others));
            phase("Phase 5: New master cleanup phase", () -> cleanup(newMaster));
            int code = failed.isEmpty() ? 0 : 10;
            if (code == 0 && s.removeDeadMasterConf()) {
                ConfigEditor.removeBlock(app.file(), dead.block());
                log.info("Removed [{}] of the dead master from {}.", dead.block(), app.file());
            }
            report.add(code == 0 ? "Master failover to " + host(newMaster.config()) + " completed successfully."
                    : "Master failover to " + host(newMaster.config()) + " done, but recovery on slave partially failed: " + String.join("; ", failed));
            flags.markComplete();
            finish(true, newMaster.config(), others.stream().map(ServerSnapshot::config).toList());
            return new Result(code, Optional.of(newMaster.config()), report, phaseMillis);
        } catch (FailoverRefused e) {
            log.error("Failover refused: {}", e.getMessage());
            report.add("Failover refused: " + e.getMessage());
            return fail();
        } catch (Exception e) {
            log.error("Failover failed: {}", e.getMessage(), e);
            report.add("Failover failed: " + e.getMessage());
            return fail();
        } finally {
            if (locks != null) locks.close();
        }
    }

    private Result fail() {
        if (phase2Started) {
            flags.markError();
            report.add("Created " + flags.error() + ": no automatic failover until an operator removes it.");
            List<String> left = LeftToDo.lines(app.file(), dead, phase1Replicas, Optional.ofNullable(chosen), activated, replUserOf(),
                    gtid, Optional.ofNullable(newMasterPosition));
            left.forEach(l -> log.error("{}", l));
            report.addAll(left);
        }
        status.write(ManagerStatus.FAILOVER_ERROR, dead.hostname());
        finish(false, null, List.of());
        return new Result(1, Optional.empty(), report, phaseMillis);
    }

    // ---------------------------------------------------------------- Phase 1

    private List<ServerSnapshot> configurationCheck() throws FailoverRefused {
        if (s.ignoreLastFailover()) flags.clear();
        Optional<String> refusal = flags.refusal(s.lastFailoverWindow(), Instant.now());
        if (refusal.isPresent()) throw new FailoverRefused(refusal.get());
        status.write(ManagerStatus.FAILOVER_RUNNING, dead.hostname());
        try (Connection c = Db.connect(dead, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            throw new FailoverRefused("the master " + ServerLabels.label(dead) + " is reachable via MySQL again: stop failover");
        } catch (SQLException expected) {
            log.info("Dead master {} confirmed unreachable: {}", ServerLabels.label(dead), expected.getMessage());
        }
        TopologyDiscovery discovery = new TopologyDiscovery();
        List<ServerSnapshot> replicas = new ArrayList<>();
        for (ServerConfig c : app.servers()) {
            if (c.equals(dead)) continue;
            ServerProbe p = discovery.probe(c);
            if (p.alive().isEmpty()) {
                if (c.ignoreFail()) {
                    log.warn("{} is not reachable; ignore_fail=1, so it is left out.", p.label());
                    continue;
                }
                String why = switch (p) {
                    case ServerProbe.Unreachable u -> u.failure().reason() + ": " + u.failure().detail();
                    case ServerProbe.Unreadable u -> u.error();
                    case ServerProbe.Alive a -> "";
                };
                throw new FailoverRefused(p.label() + " is dead or unreadable too (" + why + "): a failover needs every server"
                        + " alive (or ignore_fail=1 on it)");
            }
            ServerSnapshot snap = p.alive().get();
            Optional<ReplicaStatus> r = snap.replica();
            boolean ofDead = r.isPresent() && r.get().pointsAt(dead);
            if (!ofDead) {
                throw new FailoverRefused(snap.label() + " does not replicate from the dead master " + ServerLabels.label(dead)
                        + (r.map(x -> " but from " + x.masterId()).orElse(" (it is no replica)")) + ": the topology changed, stop");
            }
            if (!r.get().usesGtid()) gtid = false;
            replicas.add(snap);
        }
        if (replicas.isEmpty()) throw new FailoverRefused("no alive replica of " + ServerLabels.label(dead));
        if (!gtid) LogRecovery.checkNodeTools(replicas);
        // Every refusal that the replicas' state or the options can cause comes now, before anything changes: an unknown
        // --new_master_host, diverged replicas, no promotable one. Phase 3 plans again on fresher positions.
        FailoverPlan preliminary = FailoverPlanner.plan(replicas, s.options());
        preliminary.reasoning().forEach(line -> log.debug("preliminary plan: {}", line));
        for (String hookProblem : HookCommand.problems(dead)) throw new FailoverRefused(hookProblem);
        locks = FailoverLocks.take(replicas, Duration.ofSeconds(15));
        phase1Replicas = List.copyOf(replicas);
        logs = new LogRecovery(dead, Path.of(app.first().managerWorkdir()), s.gtidWait());
        log.info("Starting {} based failover of {} with {} replica(s).", gtid ? "GTID" : "Non-GTID", ServerLabels.label(dead), replicas.size());
        return replicas;
    }

    // ---------------------------------------------------------------- Phase 2

    private boolean shutdown(List<ServerSnapshot> replicas) throws Exception {
        phase2Started = true;
        // STOP ... IO_THREAD: nothing more comes from the dead master. In parallel: against a hung master each stop
        // waits for the replica's network timeout, and the SSH check of the dead host meanwhile.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> ssh = pool.submit(() -> {
                boolean reachable = sshReachable();
                fence(reachable);
                return reachable;
            });
            List<Future<Void>> stops = replicas.stream().map(r -> pool.submit(() -> {
                try (ServerSession ss = new ServerSession(r, s.gtidWait())) {
                    ss.exec(ss.dialect.restartIoThread().getFirst());
                }
                return (Void) null;
            })).toList();
            for (Future<Void> f : stops) unwrap(f);
            return deadMasterHooks(unwrap(ssh));
        }
    }

    private static <T> T unwrap(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /**
     * The old master stops taking writes wherever it can still be reached (fence=read_only by default), so a master that
     * is alive behind a partition does not go on acknowledging commits no replica will get. Failing is not fatal: it is
     * reported, and the manager fences it the moment it answers again.
     */
    private void fence(boolean sshReachable) {
        OldMasterFence.Outcome f = OldMasterFence.fence(dead, dead.fence(), sshReachable);
        if (f.fenced()) {
            log.info("Fenced the old master {}: {}.", ServerLabels.label(dead), f.summary());
            report.add("Fenced the old master " + host(dead) + ": " + f.summary() + ".");
        } else {
            log.warn("{}. If it is alive where the manager cannot see it, it may take writes until it is reached.", f.summary());
            report.add("WARNING: " + f.summary() + ". If it is alive behind a partition it may still take writes; the manager makes it"
                    + " read-only the moment it answers again (needs rejoin).");
        }
    }

    private boolean deadMasterHooks(boolean sshReachable) throws FailoverRefused {
        Optional<String> ipScript = dead.masterIpFailoverScript();
        if (ipScript.isPresent()) {
            hook("master_ip_failover_script", HookCommand.masterIpFailoverStop(ipScript.get(), dead, sshReachable), true);
        } else {
            log.warn("master_ip_failover_script is not set: applications must find the new master by themselves.");
        }
        Optional<String> shutdown = dead.shutdownScript();
        if (shutdown.isPresent()) {
            int rc = hook("shutdown_script", HookCommand.shutdownStop(shutdown.get(), dead, sshReachable), true);
            if (rc == 0) sshReachable = false;  // powered off
        }
        return sshReachable;
    }

    private boolean sshReachable() {
        Optional<String> why = RemoteShell.unreachable(dead);
        if (why.isEmpty()) log.info("Dead master's host {} is reachable via SSH.", dead.sshHost());
        else log.info("Dead master's host is NOT reachable via SSH: {}", why.get());
        return why.isEmpty();
    }

    /** MHA's convention: 0 ok, 10 "error but proceed", anything else aborts. */
    private int hook(String name, HookCommand cmd, boolean abortOnError) throws FailoverRefused {
        log.info("Executing {}: {}", name, cmd.shellLine());
        HookRunner.Result r = HookRunner.run(cmd, HOOK_TIMEOUT);
        if (!r.output().isBlank()) log.info("{}", r.output().strip());
        if (r.ok() || r.exitCode() == 10) return r.exitCode();
        String msg = name + " failed with " + (r.timedOut() ? "a timeout" : "exit code " + r.exitCode());
        if (abortOnError) throw new FailoverRefused(msg);
        log.warn("{}", msg);
        return r.exitCode();
    }

    // ---------------------------------------------------------------- Phase 3

    private ServerSnapshot recoverMaster(List<ServerSnapshot> replicas, boolean sshReachable) throws Exception {
        log.info("Phase 3.1: waiting until every replica applied its relay log..");
        List<ServerSnapshot> fresh = new ArrayList<>();
        TopologyDiscovery discovery = new TopologyDiscovery();
        for (ServerSnapshot r : replicas) {
            try (ServerSession ss = new ServerSession(r, s.gtidWait())) {
                ReplicaStatus rs = ss.replicaStatus().orElseThrow();
                if (!rs.sqlRunning()) {
                    if (rs.lastSqlErrno() != 0 && !r.config().ignoreFail()) {
                        throw new FailoverRefused(r.label() + "'s SQL thread failed (" + rs.lastSqlErrno() + ": " + rs.lastSqlError() + ")");
                    }
                    ss.exec(ss.dialect.startReplica() + " SQL_THREAD");
                }
                // what the IO thread received: Gtid_IO_Pos (MariaDB) or Retrieved_Gtid_Set (MySQL)
                String target = rs.receivedGtids();
                if (!ss.waitFor(target, s.gtidWait())) {
                    throw new FailoverRefused(r.label() + " did not apply its relay log (up to " + target + ") within " + s.gtidWait().toSeconds() + " s");
                }
            }
            fresh.add(discovery.probe(r.config()).alive().orElseThrow(() -> new FailoverRefused(r.label() + " stopped answering")));
        }
        FailoverPlan plan = FailoverPlanner.plan(fresh, s.options());
        plan.reasoning().forEach(line -> log.info("{}", line));
        // The semi-sync status of the last good ping says nothing of the last moments: the master may have fallen back to
        // async and acknowledged commits right before it died. So its binlog is read whenever its host answers.
        Optional<Path> saved = Optional.empty();
        if (s.options().skipSaveMasterBinlog()) {
            report.add("WARNING: --skip_save_master_binlog: " + unprotectedWindow(plan.latest().progress()) + " are not saved.");
        } else if (sshReachable) {
            saved = salvage(plan);
        } else {
            log.warn("The dead master's host does not answer SSH: its binlog cannot be read.");
            report.add("WARNING: the dead master's host does not answer SSH, so its binlog could not be read: "
                    + unprotectedWindow(plan.latest().progress()) + " are lost.");
        }
        ServerSnapshot nm = plan.newMaster().server();
        chosen = nm;
        report.add("Selected " + host(nm.config()) + " as a new master.");
        try (ServerSession ss = new ServerSession(nm, s.gtidWait())) {
            if (plan.catchUp()) catchUp(ss, plan.latest().server());
            if (saved.isPresent()) {
                ss.exec(ss.dialect.stopReplica());
                logs.apply(nm, List.of(saved.get()));
                report.add(host(nm.config()) + ": applied the dead master's binlog events saved in " + saved.get());
                if (nm.version().flavor() == Flavor.MARIADB) ss.exec("SET GLOBAL gtid_slave_pos=@@gtid_binlog_pos");
            }
            ss.exec(ss.dialect.stopReplica());
            activate(ss, nm);
        }
        return nm;
    }

    /**
     * The transactions a failover cannot recover without the dead master's binlog, for the report: those it committed
     * after what the latest replica received, acknowledged to clients only if semi-sync had fallen back to async by then.
     */
    private String unprotectedWindow(String latestReceived) {
        String seen = s.lastGoodPing().map(t -> "; semi-sync was " + (s.masterSemiSyncWasOn() ? "ON" : "OFF (fallen back to async)")
                + " at the last good ping, " + t + ", and nothing is known of it after that").orElse("");
        return "transactions the dead master committed after " + latestReceived + " (the latest replica's position" + seen
                + "), acknowledged to clients if it was replicating asynchronously by then,";
    }

    /** The new master takes the role: semi-sync as the master side, the virtual IP, then writes allowed. */
    private void activate(ServerSession ss, ServerSnapshot nm) throws Exception {
        if (app.first().semiSync() == SemiSyncMode.ON) {
            SemiSyncNames n = nm.semiSync().names();
            String set = ss.dialect.setPersist() ? "SET PERSIST " : "SET GLOBAL ";
            ss.exec(set + n.masterVar("timeout") + "=" + app.first().semiSyncTimeoutMs());
            ss.exec(set + n.masterVar("enabled") + "=ON");
        }
        Optional<String> ipScript = dead.masterIpFailoverScript();
        if (ipScript.isPresent()) hook("master_ip_failover_script", HookCommand.masterIpFailoverStart(ipScript.get(), dead, nm.config()), true);
        ss.exec("SET GLOBAL read_only=0");
        activated = true;
        report.add(host(nm.config()) + ": OK: Applying all logs succeeded.");
        log.info("** Finished master recovery successfully.");
    }

    // ---------------------------------------------------------------- Phase 3, without GTID

    private ServerSnapshot recoverMasterByPosition(List<ServerSnapshot> replicas, boolean sshReachable) throws Exception {
        log.info("Phase 3.1: every replica applies what it can of its relay log, then its SQL thread stops..");
        TopologyDiscovery discovery = new TopologyDiscovery();
        List<ServerSnapshot> fresh = new ArrayList<>();
        for (ServerSnapshot r : replicas) {
            try (ServerSession ss = new ServerSession(r, s.gtidWait())) {
                logs.drain(ss);
            }
            fresh.add(discovery.probe(r.config()).alive().orElseThrow(() -> new FailoverRefused(r.label() + " stopped answering")));
        }
        drained = fresh;
        // MHA's "lack_relay_log": a replica whose position the latest replica's relay logs no longer hold cannot be
        // brought up to date, so it cannot be the new master either; the next choice is tried.
        List<ServerSnapshot> candidates = new ArrayList<>(fresh);
        FailoverPlan plan;
        Optional<Path> newMasterDiff;
        while (true) {
            plan = FailoverPlanner.plan(candidates, s.options());
            plan.reasoning().forEach(line -> log.info("{}", line));
            if (latest == null) {
                latest = plan.latest().server();
                try (ServerSession ls = new ServerSession(latest, s.gtidWait())) {
                    latestLogs = RelayLogLocation.of(ls.connection(), ls.dialect);
                }
            }
            ServerSnapshot chosen = plan.newMaster().server();
            try {
                newMasterDiff = logs.generateDiff(chosen, latest, latestLogs);
                break;
            } catch (RelayPositionNotFound e) {
                if (s.options().newMasterHost().isPresent()) throw new FailoverRefused(e.getMessage() + "; it was requested with --new_master_host");
                log.warn("{}; choosing another new master.", e.getMessage());
                report.add("WARNING: " + e.getMessage());
                ServerSnapshot out = chosen;
                candidates.removeIf(c -> c.config().equals(out.config()));
            }
        }
        BinlogPosition read = plan.latest().position().orElseThrow();
        log.info("Phase 3.2: saving the dead master's binlog events after {}..", read);
        if (s.options().skipSaveMasterBinlog()) {
            report.add("WARNING: --skip_save_master_binlog: " + unprotectedWindow(read.toString()) + " are not saved.");
        } else if (sshReachable) {
            try {
                savedBinlog = logs.saveMasterBinlog(read);
                savedBinlog.ifPresent(f -> report.add("Saved the dead master's binlog events after " + read + " to " + f));
            } catch (SshFailure | IOException e) {
                log.error("Saving the dead master's binlog failed: {}", e.getMessage());
                report.add("WARNING: the dead master's binlog events after " + read + " could not be saved: " + e.getMessage());
            }
        } else {
            report.add("WARNING: the dead master's host does not answer SSH, so its binlog could not be read: "
                    + unprotectedWindow(read.toString()) + " are lost.");
        }
        ServerSnapshot nm = plan.newMaster().server();
        chosen = nm;
        report.add("Selected " + host(nm.config()) + " as a new master.");
        log.info("Phase 3.3: new master {} gets the relay-log events it misses and the saved binlog..", nm.label());
        List<Path> files = new ArrayList<>();
        newMasterDiff.ifPresent(files::add);
        savedBinlog.ifPresent(files::add);
        logs.apply(nm, files);
        try (ServerSession ss = new ServerSession(nm, s.gtidWait())) {
            ss.exec(ss.dialect.stopReplica());
            newMasterPosition = ss.binlogPosition();
            log.info("The new master's binlog position: {}; the replicas will run: {}", newMasterPosition, ss.dialect.changeMasterToPosition(
                    nm.config().ip(), nm.config().port(), replUser(nm), "******", newMasterPosition));
            activate(ss, nm);
        }
        return nm;
    }

    // ---------------------------------------------------------------- Phase 4, without GTID

    private List<String> recoverReplicasByPosition(ServerSnapshot nm, List<ServerSnapshot> others) throws Exception {
        List<String> failed = new ArrayList<>();
        // Every difference first: re-pointing a replica discards its relay logs, and the latest replica's are the source.
        log.info("Phase 4.1: generating the relay-log differences..");
        Map<ServerSnapshot, Optional<Path>> diffs = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<ServerSnapshot, Future<Optional<Path>>> fs = new LinkedHashMap<>();
            for (ServerSnapshot r : others) fs.put(r, pool.submit(() -> logs.generateDiff(r, latest, latestLogs)));
            for (var e : fs.entrySet()) {
                try {
                    diffs.put(e.getKey(), e.getValue().get());
                } catch (ExecutionException ex) {
                    report.add(host(e.getKey().config()) + ": ERROR: " + ex.getCause().getMessage());
                    failed.add(e.getKey().label() + ": " + ex.getCause().getMessage());
                }
            }
        }
        log.info("Phase 4.2: applying them and starting replication from the new master, in parallel..");
        failed.addAll(InParallel.problems(List.copyOf(diffs.entrySet()), e -> recoverByPosition(e.getKey(), e.getValue(), nm)));
        return failed;
    }

    private Optional<String> recoverByPosition(ServerSnapshot r, Optional<Path> diff, ServerSnapshot nm) {
        try {
            List<Path> files = new ArrayList<>();
            diff.ifPresent(files::add);
            savedBinlog.ifPresent(files::add);
            logs.apply(r, files);
            String user = replUser(r);
            String password = app.first().replPassword().map(p -> p.reveal()).orElse(null);
            try (ServerSession ss = new ServerSession(r, s.gtidWait())) {
                ss.exec(ss.dialect.stopReplica());
                ss.execWithPassword(p -> ss.dialect.changeMasterToPosition(nm.config().ip(), nm.config().port(), user, p, newMasterPosition), password);
                ss.exec(ss.dialect.startReplica());
                Optional<String> problem = ss.awaitReplicating(Duration.ofSeconds(60));
                if (problem.isPresent()) {
                    report.add(host(r.config()) + ": ERROR: " + problem.get());
                    return Optional.of(r.label() + ": " + problem.get());
                }
                BinlogPosition now;
                try (ServerSession m = new ServerSession(nm, s.gtidWait())) {
                    now = m.binlogPosition();
                }
                if (!ss.waitForPosition(now, s.gtidWait())) {
                    report.add(host(r.config()) + ": ERROR: did not reach the new master's position " + now + " within " + s.gtidWait().toSeconds() + " s");
                    return Optional.of(r.label() + ": not in sync with the new master");
                }
            }
            report.add(host(r.config()) + ": OK: Slave started, replicating from " + host(nm.config()));
            return Optional.empty();
        } catch (Exception e) {
            log.error("Recovering {} failed: {}", r.label(), e.getMessage());
            report.add(host(r.config()) + ": ERROR: " + e.getMessage());
            return Optional.of(r.label() + ": " + e.getMessage());
        }
    }

    /**
     * Phase 3.2: the events only the dead master has, when its host answers SSH, from where the latest replica stopped
     * applying (a transaction boundary, so a transaction it received only in part is saved whole). A failure is
     * reported, not fatal.
     */
    private Optional<Path> salvage(FailoverPlan plan) {
        ReplicaStatus latest = plan.latest().server().replica().orElseThrow();
        BinlogPosition from = new BinlogPosition(latest.relayMasterLogFile(), latest.execMasterLogPos());
        try {
            return logs.saveMasterBinlog(from);
        } catch (SshFailure | IOException | FailoverRefused e) {
            log.error("Saving the dead master's binlog failed: {}", e.getMessage());
            report.add("WARNING: transactions only the dead master had could not be saved: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The new master replicates from the latest replica until it holds everything that one applied. */
    private void catchUp(ServerSession nm, ServerSnapshot latest) throws Exception {
        log.info("Phase 3.2: {} catches up from the latest replica {}..", nm.server.label(), latest.label());
        String user = replUser(nm.server);
        String password = app.first().replPassword().map(p -> p.reveal()).orElse(null);
        nm.exec(nm.dialect.stopReplica());
        nm.execWithPassword(p -> nm.dialect.changeMaster(latest.config().ip(), latest.config().port(), user, p), password);
        nm.exec(nm.dialect.startReplica());
        String target = nm.dialect.appliedGtids(latest);
        if (!nm.waitFor(target, s.gtidWait())) {
            throw new FailoverRefused(nm.server.label() + " did not catch up with " + latest.label() + " (" + target + ") within "
                    + s.gtidWait().toSeconds() + " s");
        }
        nm.exec(nm.dialect.stopReplica());
    }

    private String replUser(ServerSnapshot s) {
        return app.first().replUser().orElseGet(() -> s.replica().map(ReplicaStatus::masterUser).orElse("repl"));
    }

    private String replUserOf() {
        return phase1Replicas.isEmpty() ? app.first().replUser().orElse("repl") : replUser(phase1Replicas.getFirst());
    }

    // ---------------------------------------------------------------- Phase 4

    private List<String> recoverReplicas(ServerSnapshot nm, List<ServerSnapshot> others) throws Exception {
        String target;
        try (ServerSession ss = new ServerSession(nm, s.gtidWait())) {
            target = ss.binlogGtids();
        }
        String gtids = target;
        return InParallel.problems(others, r -> repoint(r, nm, gtids));
    }

    private Optional<String> repoint(ServerSnapshot r, ServerSnapshot nm, String gtids) {
        String user = replUser(r);
        String password = app.first().replPassword().map(p -> p.reveal()).orElse(null);
        try (ServerSession ss = new ServerSession(r, s.gtidWait())) {
            ss.exec(ss.dialect.stopReplica());
            ss.execWithPassword(p -> ss.dialect.changeMaster(nm.config().ip(), nm.config().port(), user, p), password);
            ss.exec(ss.dialect.startReplica());
            Optional<String> problem = ss.awaitReplicating(Duration.ofSeconds(60));
            if (problem.isPresent()) {
                report.add(host(r.config()) + ": ERROR: " + problem.get());
                return Optional.of(r.label() + ": " + problem.get());
            }
            if (!ss.waitFor(gtids, s.gtidWait())) {
                report.add(host(r.config()) + ": ERROR: not in sync with the new master within " + s.gtidWait().toSeconds() + " s");
                return Optional.of(r.label() + ": not in sync with the new master");
            }
            report.add(host(r.config()) + ": OK: Slave started, replicating from " + host(nm.config()));
            return Optional.empty();
        } catch (SQLException e) {
            report.add(host(r.config()) + ": ERROR: " + e.getMessage());
            return Optional.of(r.label() + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- Phase 5

    private Void cleanup(ServerSnapshot nm) throws Exception {
        if (nm.config().skipResetSlave()) return null;
        try (ServerSession ss = new ServerSession(nm, s.gtidWait())) {
            ss.exec(ss.dialect.resetReplicaAll());
        }
        report.add(host(nm.config()) + ": Resetting slave info succeeded.");
        return null;
    }

    private void finish(boolean ok, ServerConfig newMaster, List<ServerConfig> newReplicas) {
        String subject = app.appName() + ": MySQL Master failover " + host(dead) + (newMaster == null ? "" : " to " + host(newMaster))
                + (ok ? " succeeded" : " failed");
        log.info("\n\n----- Failover Report -----\n\n{}\n\n{}\n", subject, String.join("\n", report));
        dead.reportScript().ifPresent(script -> {
            HookRunner.Result r = HookRunner.run(HookCommand.report(script, dead, newMaster, newReplicas, app.file(), subject,
                    String.join("\n", report)), HOOK_TIMEOUT);
            log.info("report_script exited with {}", r.exitCode());
        });
    }

    private static String host(ServerConfig c) {
        return c.hostname() + "(" + c.ip() + ":" + c.port() + ")";
    }
}
