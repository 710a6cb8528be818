package org.mha4j.failover;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.hook.HookCommand;
import org.mha4j.promote.Promotion;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.ServerSession;
import org.mha4j.promote.Steps;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.vip.VirtualIp;
import org.mha4j.ssh.SshFailure;
import org.mha4j.ssh.SshSessions;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the phases of one failover and its recovery share: its inputs, the report, the promotion kit, and how far the
 * promotion came (which the "left to do" account needs).
 */
final class FailoverContext {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** Background work of a failover (the SSH check, the fence): a virtual thread each. */
    static final Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    final AppConfig app;
    final ServerConfig dead;
    final FailoverRunner.Settings settings;
    final Promotion promotion;
    private final List<String> report;
    private final Steps steps;
    private volatile ServerSnapshot chosen;
    private volatile boolean activated;
    private volatile CompletableFuture<Void> fencing = CompletableFuture.completedFuture(null);

    FailoverContext(FailoverRunner.Context c) {
        this.app = c.app();
        this.dead = c.dead();
        this.settings = c.settings();
        this.report = c.report();
        this.steps = c.steps();
        this.promotion = new Promotion(app, steps, settings.gtidWait());
    }

    /**
     * The failover's SSH to {@code c}'s host: one kept session per host (the manager's, made while it watched the
     * master, or the Phase 1 check's) serves the check, the fence, the binlog read and the applies.
     */
    RemoteShell shell(ServerConfig c) {
        return SshSessions.forServer(c);
    }

    void report(String line) {
        report.add(line);
    }

    /** One of MHA's sub-phases: its line in the log, and the steps that follow belong to it in the record. */
    void subPhase(String name) {
        steps.enterPhase(name);
    }

    ServerSession session(ServerSnapshot s) throws java.sql.SQLException {
        return promotion.session(s);
    }

    void selected(ServerSnapshot newMaster) {
        chosen = newMaster;
        report("Selected " + FailoverRunner.host(newMaster.config()) + " as a new master.");
    }

    Optional<ServerSnapshot> chosen() {
        return Optional.ofNullable(chosen);
    }

    boolean activated() {
        return activated;
    }

    /** The old master's fence, running; {@link #activate} waits for it before the new master takes writes. */
    void fencing(CompletableFuture<Void> f) {
        fencing = f;
    }

    /** The fence reports its own failure, and the manager fences the old master again the moment it answers. */
    void awaitFence() {
        fencing.join();
    }

    /**
     * The new master takes the role: semi-sync as the master side, the virtual IP, then writes allowed, and that only
     * once the old master's fence is done, so that two writable masters are never the failover's doing.
     */
    void activate(ServerSession ss, ServerSnapshot newMaster) throws Exception {
        awaitFence();
        promotion.takeMasterRole(ss);
        Optional<String> ipScript = dead.masterIpFailoverScript();
        if (ipScript.isPresent()) {
            promotion.hook("master_ip_failover_script", HookCommand.masterIpFailoverStart(ipScript.get(), dead, newMaster.config()),
                    dead.hookTimeout(), true);
        } else if (newMaster.config().vip().isPresent()) {
            steps.ensureMayChange();  // the address moves over SSH, outside a recorded step: the guard is asked here
            VirtualIp.Outcome o = VirtualIp.acquire(newMaster.config(), shell(newMaster.config()));
            if (o.ok()) log.info("Virtual IP: {}.", o.summary());
            else log.error("Virtual IP: {}", o.summary());
            report((o.ok() ? "Virtual IP: " : "WARNING: virtual IP not moved, clients do not reach the new master through it: ") + o.summary() + ".");
        }
        if (settings.options().skipDisableReadOnly()) {
            log.info("--skip_disable_read_only: read_only stays ON on {}.", ss.server.label());
            report(FailoverRunner.host(newMaster.config()) + ": read_only left ON (--skip_disable_read_only): set it to 0 to take writes.");
        } else {
            promotion.allowWrites(ss);
        }
        activated = true;
        report(FailoverRunner.host(newMaster.config()) + ": OK: Applying all logs succeeded.");
        log.info("** Finished master recovery successfully.");
    }

    /**
     * A replica the failover cannot bring up to date (its SQL thread failed while applying its relay log, or no latest
     * replica holds the relay logs it misses): as MHA, it is left on the dead master, but never looking healthy:
     * replication stopped, read-only, named in the report.
     *
     * @param why what keeps it from being recovered
     * @return the problem, for the exit code and the closing line
     */
    String leaveBehind(ServerSnapshot replica, String why) {
        String host = FailoverRunner.host(replica.config());
        stopReplication(replica, "SET GLOBAL read_only=1");
        log.error("{}: {}; left behind, replication stopped, read_only=1.", replica.label(), why);
        report(host + ": ERROR: " + why + ". Left on the dead master with replication stopped and read_only=1: rebuild it from"
                + " the new master, or repair it and re-point it by hand.");
        return replica.label() + ": " + why + ", left behind";
    }

    /**
     * MHA's --skip_change_master: a replica that holds the new master's data stays where it is, replication stopped,
     * for the operator to re-point.
     *
     * @return true when the replica is not to be re-pointed
     */
    boolean skipChangeMaster(ServerSnapshot replica, String where) {
        if (!settings.options().skipChangeMaster()) return false;
        stopReplication(replica);
        report(FailoverRunner.host(replica.config()) + ": OK: holds the new master's data " + where
                + "; not re-pointed (--skip_change_master), replication stopped.");
        return true;
    }

    /**
     * The replicas Phase 4 can recover: those whose SQL thread failed while applying their relay log are left behind
     * ({@link #leaveBehind}), their problems added to {@code problems}.
     */
    List<ServerSnapshot> recoverable(List<ServerSnapshot> replicas, List<String> problems) {
        List<ServerSnapshot> out = new java.util.ArrayList<>();
        for (ServerSnapshot r : replicas) {
            ReplicaStatus rs = r.replica().orElseThrow();
            if (rs.sqlThreadFailed()) problems.add(leaveBehind(r, "its SQL thread failed applying its relay log (" + rs.sqlError() + ")"));
            else out.add(r);
        }
        return out;
    }

    /** STOP SLAVE, then {@code more}; a failure is logged: the report says what was meant either way. */
    private void stopReplication(ServerSnapshot replica, String... more) {
        try (ServerSession ss = session(replica)) {
            ss.exec(ss.dialect.stopReplica());
            for (String sql : more) ss.exec(sql);
        } catch (java.sql.SQLException e) {
            log.warn("{}: {} failed: {}", replica.label(), more.length == 0 ? "STOP SLAVE" : "STOP SLAVE or " + String.join(", ", more),
                    e.getMessage());
        }
    }

    /**
     * Phase 3.2, both recoveries: the dead master's binlog events after {@code from}, when its host answers SSH. The
     * semi-sync status of the last good ping says nothing of the last moments (the master may have fallen back to async
     * and acknowledged commits right before it died), so it is read whenever it can be. A failure is reported, not fatal.
     *
     * @param latestReceived what the latest replica holds, for the report when the binlog cannot be read
     */
    Optional<Path> saveDeadMasterBinlog(LogRecovery logs, BinlogPosition from, String latestReceived, boolean sshReachable) {
        subPhase("Phase 3.2: Saving Dead Master's Binlog Phase");
        if (settings.options().skipSaveMasterBinlog()) {
            report("WARNING: --skip_save_master_binlog: " + unprotectedWindow(latestReceived) + " are not saved.");
            return Optional.empty();
        }
        if (!sshReachable) {
            log.warn("The dead master's host does not answer SSH: its binlog cannot be read.");
            report("WARNING: the dead master's host does not answer SSH, so its binlog could not be read: "
                    + unprotectedWindow(latestReceived) + " are lost.");
            return Optional.empty();
        }
        try {
            Optional<Path> saved = logs.saveMasterBinlog(from);
            saved.ifPresent(f -> report("Saved the dead master's binlog events after " + from + " to " + f));
            return saved;
        } catch (SshFailure | IOException | Refusal e) {
            log.error("Saving the dead master's binlog failed: {}", e.getMessage());
            report("WARNING: the dead master's binlog events after " + from + " could not be saved: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The transactions a failover cannot recover without the dead master's binlog, for the report: those it committed
     * after what the latest replica received, acknowledged to clients only if semi-sync had fallen back to async by then.
     */
    private String unprotectedWindow(String latestReceived) {
        String seen = settings.lastGoodPing().map(t -> "; semi-sync was " + (settings.masterSemiSyncWasOn() ? "ON" : "OFF (fallen back to async)")
                + " at the last good ping, " + t + ", and nothing is known of it after that").orElse("");
        return "transactions the dead master committed after " + latestReceived + " (the latest replica's position" + seen
                + "), acknowledged to clients if it was replicating asynchronously by then,";
    }
}
