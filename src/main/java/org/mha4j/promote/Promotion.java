package org.mha4j.promote;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.mha4j.config.AppConfig;
import org.mha4j.config.Detection;
import org.mha4j.config.SemiSyncMode;
import org.mha4j.hook.HookCommand;
import org.mha4j.hook.HookRunner;
import org.mha4j.semisync.SemiSyncSql;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failover and an online switch both do to promote a replica: sessions that record their statements, the
 * replication user, the semi-sync master role taken and given up, replicas re-pointed, hooks run by MHA's convention.
 */
public final class Promotion {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private final AppConfig app;
    private final Steps steps;
    private final Duration wait;

    /** @param wait the bound of every wait for a server to apply transactions (MHA waits for ever) */
    public Promotion(AppConfig app, Steps steps, Duration wait) {
        this.app = app;
        this.steps = steps;
        this.wait = wait;
    }

    public Steps steps() {
        return steps;
    }

    public Duration waitBound() {
        return wait;
    }

    public ServerSession session(ServerSnapshot server) throws SQLException {
        return new ServerSession(server, wait, steps);
    }

    /** repl_user, else the user {@code s} replicates with now, else "repl". */
    public String replUser(ServerSnapshot s) {
        return replUser(Optional.of(s));
    }

    /** @param s a server whose replication user stands in when repl_user is not set; empty: "repl" does */
    public String replUser(Optional<ServerSnapshot> s) {
        return app.first().replUser().orElseGet(() -> s.flatMap(ServerSnapshot::replica).map(ReplicaStatus::masterUser).orElse("repl"));
    }

    public Optional<String> replPassword() {
        return app.first().replPassword().map(p -> p.reveal());
    }

    /** With semi_sync=ON the new master waits for a replica's ACK, with the configured timeout. */
    public void takeMasterRole(ServerSession ss) throws SQLException {
        if (app.first().semiSync() != SemiSyncMode.ON) return;
        for (String sql : SemiSyncSql.takeMasterRole(ss.server, app.first().semiSyncTimeoutMs())) ss.exec(sql);
    }

    /**
     * A planned switch passes the role on: with semi_sync=ON, and also with semi-sync unmanaged when the old master
     * had its master side on (the new master then waits for ACKs as the old one did, with its timeout). Left as it
     * was, the new master would take writes without ACKs and a former master that replicates would wait out the
     * timeout on every transaction it applies.
     */
    public void passMasterRole(ServerSession oldMaster, ServerSession newMaster, boolean oldBecomesReplica) throws SQLException {
        long timeoutMs = switch (app.first().semiSync()) {
            case ON -> app.first().semiSyncTimeoutMs();
            case OFF -> -1;
            case UNMANAGED -> oldMaster.server.semiSync().masterEnabled()
                    ? oldMaster.server.semiSync().timeoutMs().orElse(app.first().semiSyncTimeoutMs()) : -1;
        };
        if (timeoutMs < 0) return;
        for (String sql : SemiSyncSql.takeMasterRole(newMaster.server, timeoutMs)) newMaster.exec(sql);
        if (oldBecomesReplica) {
            for (String sql : SemiSyncSql.giveUpMasterRole(oldMaster.server)) oldMaster.exec(sql);
        }
    }

    /** MHA's activation line, then writes allowed. */
    public void allowWrites(ServerSession ss) throws SQLException {
        log.info("Setting read_only=0 on {}..", ss.server.label());
        ss.exec("SET GLOBAL read_only=0");
    }

    /**
     * STOP, CHANGE MASTER (the password only in the statement run, {@code ******} in the log and the record), START,
     * then both threads running within 60 s.
     *
     * @param changeMaster the statement for a password
     * @return what keeps it from replicating, if anything
     */
    public Optional<String> repoint(ServerSession ss, Function<String, String> changeMaster) throws SQLException {
        ss.exec(ss.dialect.stopReplica());
        return follow(ss, changeMaster);
    }

    /** {@link #repoint} for a server that replicates from nothing yet. */
    public Optional<String> follow(ServerSession ss, Function<String, String> changeMaster) throws SQLException {
        // detection=fast keeps the replicas' heartbeat at half a second (monitor.HeartbeatPeriods); a new master resets it
        Function<String, String> statement = app.first().detection() == Detection.FAST
                ? p -> ss.dialect.withHeartbeatPeriod(changeMaster.apply(p), Detection.HEARTBEAT_SECONDS) : changeMaster;
        ss.execWithPassword(statement, replPassword().orElse(null));
        ss.exec(ss.dialect.startReplica());
        return ss.awaitReplicating(Duration.ofSeconds(60));
    }

    /**
     * Runs a hook by MHA's convention: exit 0 ok, 10 "error, but go on", anything else (or a timeout) a refusal when
     * {@code abortOnError}, else a warning.
     *
     * @return the hook's exit code
     */
    public int hook(String name, HookCommand cmd, Duration timeout, boolean abortOnError) throws Refusal {
        steps.ensureMayChange();
        log.info("Executing {}: {}", name, cmd.shown());
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        HookRunner.Result r = HookRunner.run(cmd, timeout);
        boolean ok = r.ok() || r.exitCode() == 10;
        String exit = r.timedOut() ? "a timeout after " + timeout.toSeconds() + " s (hook_timeout; the hook and its children were killed)" : "exit code " + r.exitCode();
        steps.add(new Step(steps.phase(), "hook " + name, null, cmd.shown(), start.toString(), (System.nanoTime() - t0) / 1_000_000,
                ok ? Step.OK : Step.FAILED, exit));
        if (!r.output().isBlank()) log.info("{}", r.output().strip());
        if (ok) return r.exitCode();
        String msg = name + " failed with " + exit;
        if (abortOnError) throw new Refusal(Refusal.Code.HOOK_FAILED, msg);
        log.warn("{}", msg);
        return r.exitCode();
    }
}
