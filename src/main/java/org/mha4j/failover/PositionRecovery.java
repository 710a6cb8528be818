package org.mha4j.failover;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mha4j.node.RelayLogLocation;
import org.mha4j.node.RelayPositionNotFound;
import org.mha4j.promote.InParallel;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.ServerSession;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.TopologyDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas by binlog file and position, as MHA without GTID: every replica applies what it can of its relay log; the
 * new master and then each other replica get the events they miss from the latest replica's relay logs (and the dead
 * master's saved binlog), read over SFTP and applied on their hosts with the hosts' own client programs
 * ({@link LogRecovery}); the others then follow the new master's position.
 */
final class PositionRecovery implements Recovery {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private final FailoverContext ctx;
    private final List<ServerSnapshot> replicas;
    private final LogRecovery logs;
    /**
     * The replicas as they stood after their SQL threads stopped (Phase 3.1), and every latest one (all that read up to
     * the same last position) with its relay logs: as MHA, any of them that still holds a lagging replica's position can
     * give it its difference, since one may have purged or flushed its relay logs and another not.
     */
    private List<ServerSnapshot> drained;
    private Map<ServerSnapshot, RelayLogLocation> latest = new LinkedHashMap<>();
    private Optional<Path> savedBinlog = Optional.empty();
    private BinlogPosition newMasterPosition;
    private BinlogPosition deadMasterPosition;

    PositionRecovery(FailoverContext ctx, List<ServerSnapshot> replicas, LogRecovery logs) {
        this.ctx = ctx;
        this.replicas = List.copyOf(replicas);
        this.logs = logs;
        this.drained = this.replicas;
    }

    @Override
    public String kind() {
        return "Non-GTID";
    }

    @Override
    public void check() throws Refusal {
        LogRecovery.checkHosts(replicas, ctx::shell);
    }

    @Override
    public ServerSnapshot recoverMaster(boolean sshReachable) throws Exception {
        ctx.subPhase("Phase 3.1: Getting Latest Slaves Phase");
        log.info("Every replica applies what it can of its relay log, then its SQL thread stops..");
        TopologyDiscovery discovery = new TopologyDiscovery();
        // all at once: the failover waits for the replica with the most to apply, not for the sum
        List<ServerSnapshot> fresh = InParallel.map(replicas, r -> {
            try (ServerSession ss = ctx.session(r)) {
                logs.drain(ss);
            }
            return discovery.probe(r.config()).alive()
                    .orElseThrow(() -> new Refusal(Refusal.Code.SERVER_UNREACHABLE, r.label() + " stopped answering"));
        });
        drained = fresh;
        FailoverPlan plan = FailoverPlanner.plan(fresh, ctx.settings.options());
        BinlogPosition read = plan.latest().position().orElseThrow();
        ServerSnapshot first = plan.latest().server();
        List<ServerSnapshot> latestOnes = new ArrayList<>(List.of(first));
        fresh.stream().filter(s -> s != first && Candidate.byPosition(s).position().orElseThrow().equals(read)).forEach(latestOnes::add);
        for (ServerSnapshot l : latestOnes) {
            try (ServerSession ls = ctx.session(l)) {
                latest.put(l, RelayLogLocation.of(ls.connection(), ls.dialect));
            }
        }
        savedBinlog = ctx.saveDeadMasterBinlog(logs, read, read.toString(), sshReachable);
        deadMasterPosition = logs.deadMasterReadTo().orElse(read);

        ctx.subPhase("Phase 3.3: Determining New Master Phase");
        // MHA's "lack_relay_log": a replica whose position the latest replica's relay logs no longer hold cannot be
        // brought up to date, so it cannot be the new master either; the next choice is tried.
        List<ServerSnapshot> candidates = new ArrayList<>(fresh);
        Optional<Path> newMasterDiff;
        while (true) {
            plan.reasoning().forEach(line -> log.info("{}", line));
            ServerSnapshot chosen = plan.newMaster().server();
            try {
                newMasterDiff = diff(chosen);
                break;
            } catch (RelayPositionNotFound e) {
                if (ctx.settings.options().newMasterHost().isPresent()) {
                    throw new Refusal(Refusal.Code.NEW_MASTER_NOT_ELIGIBLE, e.getMessage() + "; it was requested with --new_master_host");
                }
                log.warn("{}; choosing another new master.", e.getMessage());
                ctx.report("WARNING: " + e.getMessage());
                candidates.removeIf(c -> c.config().equals(chosen.config()));
                plan = FailoverPlanner.plan(candidates, ctx.settings.options());
            }
        }
        ServerSnapshot nm = plan.newMaster().server();
        ctx.selected(nm);

        ctx.subPhase("Phase 3.5: Master Log Apply Phase");
        List<Path> files = new ArrayList<>();
        newMasterDiff.ifPresent(files::add);
        savedBinlog.ifPresent(files::add);
        logs.apply(nm, files);
        try (ServerSession ss = ctx.session(nm)) {
            ss.exec(ss.dialect.stopReplica());
            newMasterPosition = ss.binlogPosition();
            log.info("The new master's binlog position: {}; the replicas will run: {}", newMasterPosition, ss.dialect.changeMasterToPosition(
                    nm.config().ip(), nm.config().port(), ctx.promotion.replUser(nm), "******", newMasterPosition));
            ctx.activate(ss, nm);
        }
        return nm;
    }

    @Override
    public List<ServerSnapshot> others(ServerSnapshot newMaster) {
        return drained.stream().filter(r -> !r.config().equals(newMaster.config())).toList();
    }

    @Override
    public List<String> recoverReplicas(ServerSnapshot nm) throws Exception {
        List<String> failed = new ArrayList<>();
        List<ServerSnapshot> recoverable = ctx.recoverable(others(nm), failed);
        // Every difference first: re-pointing a replica discards its relay logs, and the latest replica's are the source.
        ctx.subPhase("Phase 4.1: Starting Parallel Slave Diff Log Generation Phase");
        Map<ServerSnapshot, Optional<Path>> diffs = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<ServerSnapshot, Future<Optional<Path>>> fs = new LinkedHashMap<>();
            for (ServerSnapshot r : recoverable) fs.put(r, pool.submit(() -> diff(r)));
            for (var e : fs.entrySet()) {
                try {
                    diffs.put(e.getKey(), e.getValue().get());
                } catch (ExecutionException ex) {
                    failed.add(ctx.leaveBehind(e.getKey(), ex.getCause().getMessage()));
                }
            }
        }
        ctx.subPhase("Phase 4.2: Starting Parallel Slave Log Apply Phase");
        failed.addAll(InParallel.problems(List.copyOf(diffs.entrySet()), e -> recover(e.getKey(), e.getValue(), nm)));
        return failed;
    }

    private Optional<String> recover(ServerSnapshot r, Optional<Path> diff, ServerSnapshot nm) {
        String host = FailoverRunner.host(r.config());
        try {
            List<Path> files = new ArrayList<>();
            diff.ifPresent(files::add);
            savedBinlog.ifPresent(files::add);
            logs.apply(r, files);
            if (ctx.skipChangeMaster(r, "(the new master's binlog position is " + newMasterPosition + ")")) return Optional.empty();
            try (ServerSession ss = ctx.session(r)) {
                Optional<String> problem = ctx.promotion.repoint(ss, p -> ss.dialect.changeMasterToPosition(nm.config().ip(),
                        nm.config().port(), ctx.promotion.replUser(r), p, newMasterPosition));
                if (problem.isPresent()) {
                    ctx.report(host + ": ERROR: " + problem.get());
                    return Optional.of(r.label() + ": " + problem.get());
                }
                BinlogPosition now;
                try (ServerSession m = ctx.session(nm)) {
                    now = m.binlogPosition();
                }
                if (!ss.waitForPosition(now, ctx.settings.gtidWait())) {
                    ctx.report(host + ": ERROR: did not reach the new master's position " + now + " within "
                            + ctx.settings.gtidWait().toSeconds() + " s");
                    return Optional.of(r.label() + ": not in sync with the new master");
                }
            }
            ctx.report(host + ": OK: Slave started, replicating from " + FailoverRunner.host(nm.config()));
            return Optional.empty();
        } catch (Exception e) {
            log.error("Recovering {} failed: {}", r.label(), e.getMessage());
            ctx.report(host + ": ERROR: " + e.getMessage());
            return Optional.of(r.label() + ": " + e.getMessage());
        }
    }

    /**
     * The relay-log events {@code target} misses, from the first latest replica whose relay logs still hold its
     * position; empty when it has them all.
     */
    private Optional<Path> diff(ServerSnapshot target) throws Exception {
        List<String> lacking = new ArrayList<>();
        for (Map.Entry<ServerSnapshot, RelayLogLocation> l : latest.entrySet()) {
            try {
                return logs.generateDiff(target, l.getKey(), l.getValue());
            } catch (RelayPositionNotFound e) {
                lacking.add(e.getMessage());
            }
        }
        throw new RelayPositionNotFound("none of the latest replicas has enough relay logs to recover " + target.label() + ": "
                + String.join("; ", lacking));
    }

    @Override
    public Optional<BinlogPosition> newMasterPosition() {
        return Optional.ofNullable(newMasterPosition);
    }

    @Override
    public Optional<BinlogPosition> deadMasterPosition() {
        return Optional.ofNullable(deadMasterPosition);
    }
}
