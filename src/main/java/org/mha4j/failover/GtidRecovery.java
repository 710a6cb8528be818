package org.mha4j.failover;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mha4j.promote.InParallel;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.ServerSession;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.TopologyDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every replica uses GTID auto-positioning: each applies its relay log, then follows the new master by GTID. */
final class GtidRecovery implements Recovery {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private final FailoverContext ctx;
    private final List<ServerSnapshot> replicas;
    private final LogRecovery logs;
    /** The replicas after Phase 3.1 applied their relay logs. */
    private List<ServerSnapshot> applied;

    GtidRecovery(FailoverContext ctx, List<ServerSnapshot> replicas, LogRecovery logs) {
        this.ctx = ctx;
        this.replicas = List.copyOf(replicas);
        this.logs = logs;
        this.applied = this.replicas;
    }

    @Override
    public String kind() {
        return "GTID";
    }

    @Override
    public void check() {
        // GTID needs nothing on the replicas' hosts: the dead master's binlog is read when its host answers SSH
    }

    @Override
    public ServerSnapshot recoverMaster(boolean sshReachable) throws Exception {
        ctx.subPhase("Phase 3.1: Getting Latest Slaves Phase");
        TopologyDiscovery discovery = new TopologyDiscovery();
        // all at once: the failover waits for the replica with the most to apply, not for the sum
        List<ServerSnapshot> fresh = InParallel.map(replicas, r -> {
            try (ServerSession ss = ctx.session(r)) {
                applyRelayLog(ss);
            }
            return discovery.probe(r.config()).alive()
                    .orElseThrow(() -> new Refusal(Refusal.Code.SERVER_UNREACHABLE, r.label() + " stopped answering"));
        });
        applied = List.copyOf(fresh);
        FailoverPlan plan = FailoverPlanner.plan(fresh, ctx.settings.options());
        ReplicaStatus latest = plan.latest().server().replica().orElseThrow();
        // from where the latest replica stopped applying: a transaction boundary, so one it received only in part is saved whole
        BinlogPosition from = new BinlogPosition(latest.relayMasterLogFile(), latest.execMasterLogPos());
        Optional<Path> saved = ctx.saveDeadMasterBinlog(logs, from, plan.latest().progress(), sshReachable);
        ctx.subPhase("Phase 3.3: Determining New Master Phase");
        plan.reasoning().forEach(line -> log.info("{}", line));
        ServerSnapshot nm = plan.newMaster().server();
        ctx.selected(nm);
        ctx.subPhase("Phase 3.3: New Master Recovery Phase");
        try (ServerSession ss = ctx.session(nm)) {
            if (plan.catchUp()) catchUp(ss, plan.latest().server());
            if (saved.isPresent()) {
                ss.exec(ss.dialect.stopReplica());
                logs.apply(nm, List.of(saved.get()));
                ctx.report(FailoverRunner.host(nm.config()) + ": applied the dead master's binlog events saved in " + saved.get());
                Optional<String> align = ss.dialect.alignReplicaPosition();
                if (align.isPresent()) ss.exec(align.get());
            }
            ss.exec(ss.dialect.stopReplica());
            ctx.activate(ss, nm);
        }
        return nm;
    }

    /** The new master replicates from the latest replica until it holds everything that one applied. */
    private void catchUp(ServerSession nm, ServerSnapshot latest) throws Exception {
        log.info("{} catches up from the latest replica {}..", nm.server.label(), latest.label());
        Optional<String> problem = ctx.promotion.repoint(nm, p -> nm.dialect.changeMaster(latest.config().ip(), latest.config().port(),
                ctx.promotion.replUser(nm.server), p));
        if (problem.isPresent()) {
            throw new Refusal(Refusal.Code.APPLY_TIMEOUT, nm.server.label() + " cannot replicate from " + latest.label() + ": " + problem.get());
        }
        String target = nm.dialect.appliedGtids(latest);
        if (!nm.waitFor(target, ctx.settings.gtidWait())) {
            throw new Refusal(Refusal.Code.APPLY_TIMEOUT, nm.server.label() + " did not catch up with " + latest.label() + " (" + target
                    + ") within " + ctx.settings.gtidWait().toSeconds() + " s");
        }
        nm.exec(nm.dialect.stopReplica());
    }

    /**
     * The replica applies what its IO thread received; one whose SQL thread failed (now or before) is left as it is:
     * it is not promoted (Candidate's flaw) and is left behind in Phase 4.
     */
    private void applyRelayLog(ServerSession ss) throws SQLException, Refusal {
        ReplicaStatus rs = ss.replicaStatus().orElseThrow();
        if (rs.sqlThreadFailed()) return;
        if (!rs.sqlRunning()) {
            ss.exec(ss.dialect.startSqlThread());
            // stopped since Phase 2 started it: with both threads stopped MariaDB discards the relay log as it starts,
            // and Gtid_IO_Pos goes back to what was applied; Phase 4 re-points it by GTID for the rest
            rs = ss.replicaStatus().orElseThrow();
        }
        // what the IO thread received: Gtid_IO_Pos (MariaDB) or Retrieved_Gtid_Set (MySQL)
        String target = rs.receivedGtids();
        if (!applied(ss, target) && !ss.replicaStatus().orElseThrow().sqlThreadFailed()) {
            throw new Refusal(Refusal.Code.APPLY_TIMEOUT, ss.server.label() + " did not apply its relay log (up to " + target + ") within "
                    + ctx.settings.gtidWait().toSeconds() + " s");
        }
    }

    /**
     * Waits until the replica applied {@code gtids}, in slices of 1, 2, 4 and then 8 seconds: a SQL thread that stops
     * on an error (a conflicting row) ends the wait within a slice instead of after gtid_wait_seconds, and a replica
     * that takes long logs a wait every 8 s, not every second.
     */
    private boolean applied(ServerSession ss, String gtids) throws SQLException {
        long deadline = System.nanoTime() + ctx.settings.gtidWait().toNanos();
        long slice = 1;
        while (!ss.waitFor(gtids, Duration.ofSeconds(slice))) {
            if (ss.replicaStatus().orElseThrow().sqlThreadFailed() || System.nanoTime() > deadline) return false;
            slice = Math.min(8, slice * 2);
        }
        return true;
    }

    @Override
    public List<ServerSnapshot> others(ServerSnapshot newMaster) {
        return applied.stream().filter(r -> !r.config().equals(newMaster.config())).toList();
    }

    @Override
    public List<String> recoverReplicas(ServerSnapshot nm) throws Exception {
        ctx.subPhase("Phase 4.1: Starting Slaves in parallel");
        String target;
        try (ServerSession ss = ctx.session(nm)) {
            target = ss.binlogGtids();
        }
        List<String> problems = new ArrayList<>();
        List<ServerSnapshot> recoverable = ctx.recoverable(others(nm), problems);
        problems.addAll(InParallel.problems(recoverable, r -> repoint(r, nm, target)));
        return problems;
    }

    private Optional<String> repoint(ServerSnapshot r, ServerSnapshot nm, String gtids) {
        String host = FailoverRunner.host(r.config());
        // it applied its relay log in Phase 3.1; by GTID it fetches the rest from the new master once re-pointed
        if (ctx.skipChangeMaster(r, "up to its relay log's end")) return Optional.empty();
        try (ServerSession ss = ctx.session(r)) {
            Optional<String> problem = ctx.promotion.repoint(ss, p -> ss.dialect.changeMaster(nm.config().ip(), nm.config().port(),
                    ctx.promotion.replUser(r), p));
            if (problem.isPresent()) {
                ctx.report(host + ": ERROR: " + problem.get());
                return Optional.of(r.label() + ": " + problem.get());
            }
            if (!ss.waitFor(gtids, ctx.settings.gtidWait())) {
                ctx.report(host + ": ERROR: not in sync with the new master within " + ctx.settings.gtidWait().toSeconds() + " s");
                return Optional.of(r.label() + ": not in sync with the new master");
            }
            ctx.report(host + ": OK: Slave started, replicating from " + FailoverRunner.host(nm.config()));
            return Optional.empty();
        } catch (java.sql.SQLException e) {
            ctx.report(host + ": ERROR: " + e.getMessage());
            return Optional.of(r.label() + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<BinlogPosition> newMasterPosition() {
        return Optional.empty();
    }
}
