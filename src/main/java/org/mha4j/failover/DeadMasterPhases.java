package org.mha4j.failover;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mha4j.config.ServerConfig;
import org.mha4j.fence.OldMasterFence;
import org.mha4j.hook.HookCommand;
import org.mha4j.monitor.UnansweredCheck;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.ServerSession;
import org.mha4j.ssh.SshTarget;
import org.mha4j.topology.ConnectFailure;
import org.mha4j.topology.Db;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerLabels;
import org.mha4j.topology.ServerProbe;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.MasterResolver;
import org.mha4j.topology.Topology;
import org.mha4j.topology.TopologyDiscovery;
import org.mha4j.vip.VirtualIp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The failover phases on real servers: what both recoveries share, and the {@link Recovery} chosen in Phase 1. */
final class DeadMasterPhases implements FailoverPhases {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** How recent the monitor's unanswered check must be to stand for Phase 1's own. */
    private static final Duration FRESH_CHECK = Duration.ofSeconds(1);

    private final FailoverContext ctx;
    private final ServerConfig dead;
    /** What a failure must tell the operator is left: the replicas of Phase 1. */
    private List<ServerSnapshot> phase1Replicas = List.of();
    private Recovery recovery;
    private FailoverLocks locks;
    /** Whether the dead master's host answers SSH: a check, so it starts with Phase 1, in the background. */
    private CompletableFuture<Boolean> deadHostSsh;
    /** Servers with ignore_fail=1 Phase 1 left out: the failover is then not complete (MHA's exit 10). */
    private final List<String> leftOut = new ArrayList<>();

    DeadMasterPhases(FailoverRunner.Context c) {
        this.ctx = new FailoverContext(c);
        this.dead = c.dead();
    }

    // ---------------------------------------------------------------- Phase 1

    @Override
    public List<ServerSnapshot> configurationCheck() throws Refusal {
        deadHostSsh = CompletableFuture.supplyAsync(this::sshReachable, FailoverContext.VIRTUAL);
        Topology t = new TopologyDiscovery().discover(ctx.app, java.util.Map.of(dead, confirmDead()));
        List<ServerSnapshot> replicas = new ArrayList<>();
        for (ServerConfig c : ctx.app.servers()) {
            if (c.equals(dead)) continue;
            ServerProbe p = t.probe(c).orElseThrow();
            if (p.alive().isEmpty()) {
                if (c.ignoreFail()) {
                    log.warn("{} is not reachable; ignore_fail=1, so it is left out.", p.label());
                    leftOut.add(p.label() + ": not reachable (ignore_fail=1), left out of the failover");
                    continue;
                }
                String why = switch (p) {
                    case ServerProbe.Unreachable u -> u.failure().reason() + ": " + u.failure().detail();
                    case ServerProbe.Unreadable u -> u.error();
                    case ServerProbe.Alive a -> "";
                };
                throw new Refusal(Refusal.Code.SERVER_UNREACHABLE, p.label() + " is dead or unreadable too (" + why
                        + "): a failover needs every server alive (or ignore_fail=1 on it)");
            }
            ServerSnapshot snap = p.alive().get();
            Optional<ReplicaStatus> r = snap.replica();
            if (c.multiTierSlave() && r.isPresent() && !r.get().pointsAt(dead) && MasterResolver.isDescendantOf(t, c, dead)) {
                log.info("{} replicates from {} (multi_tier_slave=1): not managed, it keeps replicating from it.", snap.label(), r.get().masterId());
                continue;
            }
            if (r.isEmpty() || !r.get().pointsAt(dead)) {
                throw new Refusal(Refusal.Code.TOPOLOGY_CHANGED, snap.label() + " does not replicate from the dead master "
                        + ServerLabels.label(dead) + (r.map(x -> " but from " + x.masterId()).orElse(" (it is no replica)"))
                        + ": the topology changed, stop");
            }
            ReplicaStatus rs = r.get();
            if (rs.sqlThreadFailed()) {
                String failed = snap.label() + "'s SQL thread stopped on an error before the failover (" + rs.sqlError() + ")";
                if (!c.ignoreFail()) {
                    throw new Refusal(Refusal.Code.REPLICA_SQL_ERROR, failed + ": its data is not known to be the master's. Fix it, or set"
                            + " ignore_fail=1 on it to fail over without it (MHA's rule)");
                }
                log.warn("{}; ignore_fail=1, so it is left out.", failed);
                leftOut.add(snap.label() + ": SQL thread failed before the failover (ignore_fail=1), left out: still points at the dead master");
                continue;
            }
            replicas.add(snap);
        }
        if (replicas.isEmpty()) throw new Refusal(Refusal.Code.NO_ALIVE_REPLICA, "no alive replica of " + ServerLabels.label(dead));
        Recovery chosen = Recovery.of(ctx, replicas);
        chosen.check();
        // Every refusal that the replicas' state or the options can cause comes now, before anything changes: an unknown
        // --new_master_host, diverged replicas, no promotable one. Phase 3 plans again on fresher positions.
        FailoverPlan preliminary = FailoverPlanner.plan(replicas, ctx.settings.options());
        preliminary.reasoning().forEach(line -> log.debug("preliminary plan: {}", line));
        for (String hookProblem : HookCommand.problems(dead)) throw new Refusal(Refusal.Code.HOOK_MISCONFIGURED, hookProblem);
        locks = FailoverLocks.take(replicas, Duration.ofSeconds(15));
        phase1Replicas = List.copyOf(replicas);
        recovery = chosen;
        log.info("Starting {} based failover of {} with {} replica(s).", recovery.kind(), ServerLabels.label(dead), replicas.size());
        return replicas;
    }

    /**
     * MHA connects to the dead master once more before anything changes. When the monitor's own check went unanswered
     * less than {@link #FRESH_CHECK} ago that check is this one: against a hung master another connect would only wait
     * out its timeout again (1 s), and a master that came back since would have been seen receiving by the replicas.
     */
    private ServerProbe confirmDead() throws Refusal {
        Optional<UnansweredCheck> last = ctx.settings.lastUnansweredCheck().filter(c -> c.age().compareTo(FRESH_CHECK) < 0);
        if (last.isPresent()) {
            log.info("Dead master {} confirmed unreachable: the manager's check went unanswered {} ms ago ({}).", ServerLabels.label(dead),
                    last.get().age().toMillis(), last.get().failure().reason());
            return new ServerProbe.Unreachable(dead, last.get().failure());
        }
        try (Connection c = Db.connect(dead, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            throw new Refusal(Refusal.Code.MASTER_ALIVE, "the master " + ServerLabels.label(dead) + " is reachable via MySQL again: stop failover");
        } catch (SQLException expected) {
            log.info("Dead master {} confirmed unreachable: {}", ServerLabels.label(dead), expected.getMessage());
            return new ServerProbe.Unreachable(dead, ConnectFailure.of(expected));
        }
    }

    // ---------------------------------------------------------------- Phase 2

    @Override
    public boolean deadMasterShutdown(List<ServerSnapshot> replicas) throws Exception {
        // The fence starts first and runs while the IO threads stop and the new master is recovered (against a hung
        // mysqld its client waits out a timeout); the new master takes writes only once it is done (FailoverContext.activate).
        ctx.fencing(deadHostSsh.thenAcceptAsync(this::fence, FailoverContext.VIRTUAL));
        // STOP ... IO_THREAD: nothing more comes from the dead master. In parallel: against a hung master each stop
        // waits for the replica's network timeout. The SSH check started with Phase 1.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> stops = replicas.stream().map(r -> pool.submit(() -> {
                try (ServerSession ss = ctx.session(r)) {
                    // A SQL thread stopped without an error (a paused backup) is started while the IO thread still
                    // runs: MariaDB with GTID discards the relay log when it starts one with both threads stopped.
                    if (ss.replicaStatus().filter(rs -> !rs.sqlRunning() && rs.lastSqlErrno() == 0).isPresent()) {
                        log.info("{}: the SQL thread was stopped; starting it to apply the relay log.", r.label());
                        ss.exec(ss.dialect.startSqlThread());
                    }
                    ss.exec(ss.dialect.restartIoThread().getFirst());
                }
                return (Void) null;
            })).toList();
            for (Future<Void> f : stops) unwrap(f);
        }
        // no hook needs the SSH check's answer: Phase 3 asks for it when it reads the binlog, by then it has come
        return hooksDecideSsh() ? deadMasterHooks(deadHostSsh.join()) : deadMasterHooks(true);
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
        OldMasterFence.Outcome f = OldMasterFence.fence(dead, dead.fence(), sshReachable, ctx.shell(dead));
        if (f.fenced()) {
            log.info("Fenced the old master {}: {}.", ServerLabels.label(dead), f.summary());
            ctx.report("Fenced the old master " + FailoverRunner.host(dead) + ": " + f.summary() + ".");
        } else {
            log.warn("{}. If it is alive where the manager cannot see it, it may take writes until it is reached.", f.summary());
            ctx.report("WARNING: " + f.summary() + ". If it is alive behind a partition it may still take writes; the manager makes it"
                    + " read-only the moment it answers again (needs rejoin).");
        }
        if (dead.vip().isPresent() && dead.masterIpFailoverScript().isEmpty()) releaseVip(sshReachable);
    }

    /** The virtual IP leaves the dead master's host before the new master's takes it (activation waits for the fence). */
    private void releaseVip(boolean sshReachable) {
        if (!sshReachable) {
            log.warn("The dead master's host does not answer SSH: it may still hold {} if it comes back.", dead.vip().get());
            ctx.report("WARNING: the dead master's host does not answer SSH: it may still hold the virtual IP " + dead.vip().get()
                    + " if it comes back; remove it there (ip addr del " + dead.vip().get() + " dev " + dead.vipInterface() + ").");
            return;
        }
        VirtualIp.Outcome o = VirtualIp.release(dead, ctx.shell(dead));
        if (o.ok()) log.info("Virtual IP: {}.", o.summary());
        else log.error("Virtual IP: {}", o.summary());
        ctx.report((o.ok() ? "Virtual IP: " : "WARNING: virtual IP: ") + o.summary() + ".");
    }

    private boolean deadMasterHooks(boolean sshReachable) throws Refusal {
        Optional<String> ipScript = dead.masterIpFailoverScript();
        if (ipScript.isPresent()) {
            ctx.promotion.hook("master_ip_failover_script", HookCommand.masterIpFailoverStop(ipScript.get(), dead, sshReachable),
                    dead.hookTimeout(), true);
        } else {
            log.warn("master_ip_failover_script is not set: applications must find the new master by themselves.");
        }
        Optional<String> shutdown = dead.shutdownScript();
        if (shutdown.isPresent()) {
            int rc = ctx.promotion.hook("shutdown_script", HookCommand.shutdownStop(shutdown.get(), dead, sshReachable),
                    dead.hookTimeout(), true);
            if (rc == 0) sshReachable = false;  // powered off
        }
        return sshReachable;
    }

    /** A hook gets the SSH check's answer, and shutdown_script may change it (a host powered off); without hooks it stands. */
    private boolean hooksDecideSsh() {
        return dead.masterIpFailoverScript().isPresent() || dead.shutdownScript().isPresent();
    }

    private boolean sshReachable() {
        Optional<String> why = ctx.shell(dead).unreachable(SshTarget.of(dead), dead.sshConnectionTimeout());
        if (why.isEmpty()) log.info("Dead master's host {} is reachable via SSH.", dead.sshHost());
        else log.info("Dead master's host is NOT reachable via SSH: {}", why.get());
        return why.isEmpty();
    }

    // ---------------------------------------------------------------- Phases 3, 4: the recovery's

    @Override
    public ServerSnapshot masterRecovery(boolean deadHostAnswersSsh) throws Exception {
        return recovery.recoverMaster(hooksDecideSsh() ? deadHostAnswersSsh : deadHostSsh.join());
    }

    @Override
    public List<String> slavesRecovery(ServerSnapshot newMaster) throws Exception {
        List<String> problems = new ArrayList<>(recovery.recoverReplicas(newMaster));
        leftOut.forEach(l -> ctx.report("WARNING: " + l));
        problems.addAll(leftOut);
        return problems;
    }

    // ---------------------------------------------------------------- Phase 5

    @Override
    public void newMasterCleanup(ServerSnapshot nm) throws Exception {
        // as MHA: with --skip_change_master the new master keeps its replica settings too
        if (nm.config().skipResetSlave() || ctx.settings.options().skipChangeMaster()) return;
        try (ServerSession ss = ctx.session(nm)) {
            ss.exec(ss.dialect.resetReplicaAll());
        }
        ctx.report(FailoverRunner.host(nm.config()) + ": Resetting slave info succeeded.");
    }

    @Override
    public List<ServerConfig> newReplicas(ServerSnapshot newMaster) {
        return recovery.others(newMaster).stream().map(ServerSnapshot::config).toList();
    }

    @Override
    public Optional<org.mha4j.promote.FailoverRecord.Positions> positions() {
        if (recovery == null) return Optional.empty();
        return recovery.deadMasterPosition().flatMap(d -> recovery.newMasterPosition()
                .map(n -> new org.mha4j.promote.FailoverRecord.Positions(d.toString(), n.toString())));
    }

    @Override
    public List<String> leftToDo() {
        String replUser = ctx.promotion.replUser(phase1Replicas.stream().findFirst());
        return LeftToDo.lines(ctx.app.file(), dead, phase1Replicas, ctx.chosen(), ctx.activated(), replUser,
                recovery == null || recovery instanceof GtidRecovery, recovery == null ? Optional.empty() : recovery.newMasterPosition());
    }

    @Override
    public void close() {
        ctx.awaitFence();
        if (locks != null) locks.close();
    }
}
