package org.mha4j.switchover;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigEditor;
import org.mha4j.config.ServerConfig;
import org.mha4j.failover.FailoverOptions;
import org.mha4j.failover.FailoverPlan;
import org.mha4j.failover.FailoverPlanner;
import org.mha4j.hook.HookCommand;
import org.mha4j.monitor.MonitorLock;
import org.mha4j.promote.FailoverRecord;
import org.mha4j.promote.InParallel;
import org.mha4j.promote.Promotion;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.ServerSession;
import org.mha4j.promote.Steps;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.MasterResolver;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ReplicationFilters;
import org.mha4j.topology.ServerLabels;
import org.mha4j.topology.ServerProbe;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.Topology;
import org.mha4j.topology.TopologyDiscovery;
import org.mha4j.promote.ChangeLock;
import org.mha4j.vip.VirtualIp;
import org.mha4j.ssh.RemoteShell;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code masterha_master_switch --master_state=alive}: a planned move of the master role, writes blocked only while
 * the new master applies the old master's last transactions. Any failure before the new master is writable puts the
 * old master back as it was and says why.
 */
public final class OnlineSwitch {
    private static final Logger log = LoggerFactory.getLogger("mha");

    /**
     * @param writesBlockedMs from read_only=1 on the old master to read_only=0 on the new one
     * @param refusal         the code, when it was refused
     * @param record          the JSON record of the switch, unless it could not be written (or --check_only)
     */
    public record Result(int exitCode, Optional<ServerConfig> newMaster, long writesBlockedMs, Optional<Refusal.Code> refusal,
                         Optional<Path> record) {
        Result(int exitCode, Optional<ServerConfig> newMaster, long writesBlockedMs) {
            this(exitCode, newMaster, writesBlockedMs, Optional.empty(), Optional.empty());
        }
    }

    private final AppConfig app;
    private final SwitchOptions o;
    private final Steps steps = new Steps();
    private final Promotion promotion;
    private final Predicate<String> confirm;
    /** SSH to the hosts, made when the virtual IP is moved (the only use a switch has for it). */
    private RemoteShell shell;
    private String master = "unknown";

    private OnlineSwitch(AppConfig app, SwitchOptions o, Predicate<String> confirm) {
        this.app = app;
        this.o = o;
        this.confirm = confirm;
        this.promotion = new Promotion(app, steps, o.gtidWait());
    }

    /** Without asking: for --interactive=0, the bench and tests. */
    public static Result run(AppConfig app, SwitchOptions o) {
        return run(app, o, question -> true);
    }

    /**
     * @param confirm asks the operator, once every check passed and before anything changes (MHA's "(yes/NO)"); false
     *                stops the switch
     */
    public static Result run(AppConfig app, SwitchOptions o, Predicate<String> confirm) {
        OnlineSwitch sw = new OnlineSwitch(app, o, confirm);
        Instant started = Instant.now();
        Result r;
        String closing = null;
        try (var lock = ChangeLock.take(app).orElse(null)) {
            r = sw.run();
        } catch (Refusal e) {
            log.error("Online master switch refused: {}", e.getMessage());
            r = new Result(1, Optional.empty(), -1, Optional.of(e.code()), Optional.empty());
            closing = "Online master switch refused: " + e.getMessage();
        } catch (Exception e) {
            log.error("Online master switch failed: {}", e.getMessage(), e);
            r = new Result(1, Optional.empty(), -1);
            closing = "Online master switch failed: " + e.getMessage();
        }
        if (sw.shell != null) sw.shell.close();
        if (o.checkOnly() && r.exitCode() == 0) return r;
        if (closing == null) {
            String neu = r.newMaster().map(ServerLabels::label).orElse("");
            if (r.exitCode() == 0) {
                closing = "Switching master to " + neu + " completed successfully.";
                log.info("{}", closing);
            } else {
                closing = "Switching master to " + neu + " done, but switching slaves partially failed.";
                log.error("{}", closing);
            }
        }
        return new Result(r.exitCode(), r.newMaster(), r.writesBlockedMs(), r.refusal(),
                FailoverRecord.save(app, "switch", sw.master, "planned", r.newMaster(), started, r.exitCode(), r.refusal(), closing, sw.steps));
    }

    private Result run() throws Exception {
        steps.enterPhase("Phase 1: Configuration Check Phase");
        Topology t = new TopologyDiscovery().discover(app);
        for (ServerProbe p : t.notAlive()) {
            throw new Refusal(Refusal.Code.SERVER_UNREACHABLE, p.label() + " is not reachable: switching master should not be started if one or more servers is down");
        }
        if (!(MasterResolver.resolve(t) instanceof MasterResolution.Resolved r)) {
            throw new Refusal(Refusal.Code.MASTER_UNKNOWN, "the current master cannot be determined: run masterha_check_repl for the details");
        }
        ServerSnapshot old = r.masterSnapshot().orElseThrow();
        master = FailoverRecord.hostPort(old.config());
        for (ServerSnapshot s : r.replicas()) {
            ReplicaStatus rs = s.replica().orElseThrow();
            if (!rs.ioRunning() || !rs.sqlRunning()) {
                throw new Refusal(Refusal.Code.REPLICA_NOT_READY, s.label() + " is not replicating (IO " + rs.ioThread() + ", SQL " + (rs.sqlRunning() ? "Yes" : "No")
                        + (rs.lastSqlErrno() != 0 ? ", " + rs.lastSqlError() : "") + (rs.lastIoErrno() != 0 ? ", " + rs.lastIoError() : "")
                        + "): fix it before switching; the master stays where it is");
            }
            if (rs.secondsBehind().orElse(Long.MAX_VALUE) > o.secondsBehindMaster()) {
                throw new Refusal(Refusal.Code.REPLICA_NOT_READY, s.label() + " is " + rs.secondsBehind().orElse(-1) + " s behind (limit --seconds_behind_master="
                        + o.secondsBehindMaster() + ")");
            }
        }
        // Without GTID on every replica the switch works by binlog file and position, as MHA's does.
        boolean gtid = r.replicas().stream().allMatch(s -> s.replica().orElseThrow().usesGtid());
        ServerSnapshot neu = chooseNewMaster(r);
        try (ServerSession os = promotion.session(old); ServerSession ns = promotion.session(neu)) {
            noManagerWatching(os);
            longUpdates(os);
            longQueries(ns);
            if (neu.config().checkReplFilter()) sameFilters(os, ns);
            // Before writes are blocked: the new master must reach where the old master is now within the write-block
            // limit. One that cannot (it lags, or lacks the transactions for good) would block writes and roll back.
            SwitchPoint now = gtid ? new ByGtid(os.binlogGtids()) : new ByPosition(os.binlogPosition(), null);
            if (!now.reachedBy(ns, o.writeBlockLimit())) {
                throw new Refusal(Refusal.Code.APPLY_TIMEOUT, neu.label() + " does not reach the current master's " + now + " within " + o.writeBlockLimit().toSeconds()
                        + " s (--write_block_seconds): it would keep writes blocked. Nothing changed; check its replication");
            }
            log.info("Current master {}, new master {}.", old.label(), neu.label());
            if (o.checkOnly()) {
                log.info("--check_only: all checks passed, nothing changed.");
                return new Result(0, Optional.of(neu.config()), 0);
            }
            if (!confirm.test("Starting master switch from " + old.label() + " to " + neu.label() + "? (yes/NO): ")) {
                throw new Refusal(Refusal.Code.NOT_CONFIRMED, "not confirmed (type yes, or run with --interactive=0). Nothing changed");
            }
            steps.enterPhase("Phase 2: Rejecting updates Phase");
            Optional<String> script = old.config().masterIpOnlineChangeScript();
            if (script.isPresent()) hook(HookCommand.masterIpOnlineChange(script.get(), "stop", old.config(), neu.config(), o.origMasterIsNewSlave()),
                    old.config().hookTimeout());
            boolean movesVip = script.isEmpty() && old.config().vip().isPresent();
            if (script.isEmpty() && !movesVip) {
                log.warn("master_ip_online_change_script is not set: applications must find the new master by themselves.");
            }
            long t0 = System.nanoTime();
            blockWrites(os);
            long locked = System.nanoTime();
            SwitchPoint point;
            boolean vipReleased = false;
            try {
                if (movesVip) {
                    vip(VirtualIp.release(old.config(), shell()));
                    vipReleased = true;
                }
                point = gtid ? new ByGtid(os.binlogGtids()) : new ByPosition(os.binlogPosition(), null);
                log.info("Writes blocked on the old master in {} ms; its last transactions: {}", (locked - t0) / 1_000_000, point);
                steps.enterPhase("Phase 3: New master activation Phase");
                boolean caughtUp = point.reachedBy(ns, o.writeBlockLimit());
                log.info("{} applied them {} ms later.", ns.server.label(), (System.nanoTime() - locked) / 1_000_000);
                if (!caughtUp) {
                    throw new Refusal(Refusal.Code.APPLY_TIMEOUT, neu.label() + " did not apply " + point + " within " + o.writeBlockLimit().toSeconds()
                            + " s (--write_block_seconds); writes were blocked meanwhile");
                }
                ns.exec(ns.dialect.stopReplica());
                // without GTID the others join the new master where its binlog ends now: no write has reached it yet
                if (point instanceof ByPosition p) point = new ByPosition(p.oldMaster(), ns.binlogPosition());
                promotion.passMasterRole(os, ns, o.origMasterIsNewSlave());
                if (script.isPresent()) hook(HookCommand.masterIpOnlineChange(script.get(), "start", old.config(), neu.config(), o.origMasterIsNewSlave()),
                        old.config().hookTimeout());
                if (movesVip) vip(VirtualIp.acquire(neu.config(), shell()));
                promotion.allowWrites(ns);
            } catch (Exception e) {
                rollback(os, ns, e);
                if (vipReleased) {
                    VirtualIp.Outcome back = VirtualIp.acquire(old.config(), shell());
                    log.warn("Virtual IP back on the old master's host: {}", back.summary());
                }
                throw e;
            }
            long blocked = (System.nanoTime() - t0) / 1_000_000;
            log.info("Writes were blocked for {} ms ({} is the master now).", blocked, neu.label());
            steps.enterPhase("Phase 4: Switching slaves Phase");
            List<String> failed = switchReplicas(r.replicas().stream().filter(s -> s != neu).toList(), neu, point);
            os.exec("UNLOCK TABLES");
            if (o.origMasterIsNewSlave()) {
                Optional<String> problem = attachOldMaster(os, neu, point);
                problem.ifPresent(failed::add);
            }
            steps.enterPhase("Phase 5: New master cleanup phase");
            if (!neu.config().skipResetSlave()) ns.exec(ns.dialect.resetReplicaAll());
            if (o.removeOrigMasterConf() && !o.origMasterIsNewSlave() && failed.isEmpty()) {
                ConfigEditor.removeBlock(app.file(), old.config().block());
            }
            if (failed.isEmpty()) return new Result(0, Optional.of(neu.config()), blocked);
            failed.forEach(f -> log.error("{}", f));
            return new Result(10, Optional.of(neu.config()), blocked);
        }
    }

    /**
     * MHA's one selector, the failover's: --new_master_host, candidate_master, no_master, latest_priority,
     * check_repl_delay, config order, and never a replica holding errant transactions (a planned switch to one would
     * spread transactions the master never had to every server).
     */
    private ServerSnapshot chooseNewMaster(MasterResolution.Resolved r) throws Refusal {
        FailoverPlan plan = FailoverPlanner.plan(r.replicas(), new FailoverOptions(o.newMasterHost(), o.newMasterPort(), false));
        plan.reasoning().forEach(line -> log.info("{}", line));
        return plan.newMaster().server();
    }

    private static boolean clientThread(Map<String, String> row) {
        String cmd = String.valueOf(row.get("COMMAND"));
        String user = String.valueOf(row.get("USER"));
        return !cmd.equals("Sleep") && !cmd.startsWith("Binlog Dump") && !cmd.equals("Daemon") && !cmd.equals("Connect")
                && !user.equals("system user") && !user.equals("event_scheduler");
    }

    /**
     * MHA's check_repl_filter for a switch: the new master must leave out of its binary log what the old one did (or
     * the replicas receive rows the old master never logged), and an old master that becomes a replica must filter as
     * the new master did as a replica (or it silently skips the new master's writes).
     */
    private void sameFilters(ServerSession os, ServerSession ns) throws SQLException, Refusal {
        ServerSnapshot old = os.server;
        ServerSnapshot neu = ns.server;
        if (!old.binlogFilters().equals(neu.binlogFilters())) {
            throw new Refusal(Refusal.Code.FILTERS_DIFFER, "binary log filters differ: " + old.label() + " (current master) "
                    + old.binlogFilters().describe() + ", " + neu.label() + " " + neu.binlogFilters().describe()
                    + ". Make binlog-do-db/binlog-ignore-db identical, or set check_repl_filter=0. Nothing changed");
        }
        if (!o.origMasterIsNewSlave()) return;
        ReplicationFilters oldFilters = os.dialect.configuredFilters(os.connection());
        ReplicationFilters newFilters = neu.replica().orElseThrow().filters();
        if (!oldFilters.equals(newFilters)) {
            throw new Refusal(Refusal.Code.FILTERS_DIFFER, "replication filters differ: " + old.label() + " (current master) has "
                    + oldFilters.describe() + ", " + neu.label() + " has " + newFilters.describe() + ". As a replica of "
                    + neu.label() + " the old master would apply its writes through other filters and end up with other data."
                    + " Make the replicate-* settings identical, switch without --orig_master_is_new_slave, or set check_repl_filter=0. Nothing changed");
        }
    }

    /**
     * A manager watching the old master would see it turn read-only and its replicas move away, and fail over a master
     * that is no longer one: as MHA, refuse while one holds its lock. It is taken here in turn, on the session that
     * then holds the write block, so no manager starts on the old master while the switch runs.
     */
    private void noManagerWatching(ServerSession os) throws SQLException, Refusal {
        if (!"1".equals(os.value("SELECT GET_LOCK('" + MonitorLock.NAME + "', 0)"))) {
            throw new Refusal(Refusal.Code.LOCK_TAKEN, "a manager monitors " + os.server.label() + " (it holds the lock " + MonitorLock.NAME
                    + "): stop it first (masterha_stop), switch, then start it again. Nothing changed");
        }
    }

    /** MHA's running_updates_limit: a long write on the current master would hold the lock and the switch. */
    private void longUpdates(ServerSession os) throws Exception {
        for (Map<String, String> row : os.rows(os.dialect.processList())) {
            String info = String.valueOf(row.get("INFO")).stripLeading().toUpperCase();
            if (clientThread(row) && !info.startsWith("SELECT") && !info.startsWith("SHOW")
                    && Long.parseLong(row.get("TIME")) >= o.runningUpdatesLimit() + 1L) {
                throw new Refusal(Refusal.Code.LONG_RUNNING_QUERY, "connection " + row.get("ID") + " (" + row.get("USER") + ") on the current master has run an update for "
                        + row.get("TIME") + " s (--running_updates_limit=" + o.runningUpdatesLimit() + "): " + row.get("INFO"));
            }
        }
    }

    /** MHA's running_seconds_limit on the new master. */
    private void longQueries(ServerSession ns) throws Exception {
        for (Map<String, String> row : ns.rows(ns.dialect.processList())) {
            if (clientThread(row) && Long.parseLong(row.get("TIME")) >= o.runningSecondsLimit()) {
                throw new Refusal(Refusal.Code.LONG_RUNNING_QUERY, "connection " + row.get("ID") + " on the new master has run for " + row.get("TIME")
                        + " s (--running_seconds_limit=" + o.runningSecondsLimit() + "): " + row.get("INFO"));
            }
        }
    }

    /**
     * read_only stops ordinary users; FLUSH TABLES WITH READ LOCK on this connection also stops privileged ones and
     * waits for commits in flight; then every other client connection is ended, so no session that started on the old
     * master can write there again.
     */
    private void blockWrites(ServerSession os) throws SQLException {
        os.exec("SET GLOBAL read_only=1");
        os.exec("FLUSH TABLES WITH READ LOCK");
        for (Map<String, String> row : os.rows(os.dialect.processList())) {
            if (!clientThread(row) && !"Sleep".equals(row.get("COMMAND"))) continue;
            if ("system user".equals(row.get("USER")) || String.valueOf(row.get("COMMAND")).startsWith("Binlog Dump")) continue;
            try {
                os.exec("KILL CONNECTION " + row.get("ID"));
            } catch (SQLException gone) {
                // it ended by itself
            }
        }
    }

    private void rollback(ServerSession os, ServerSession ns, Exception cause) {
        log.error("Switch failed before the new master took writes ({}); putting {} back as the writable master.", cause.getMessage(), os.server.label());
        try {
            ns.exec(ns.dialect.startReplica());
        } catch (SQLException e) {
            log.error("{}: could not restart replication: {}", ns.server.label(), e.getMessage());
        }
        try {
            os.exec("UNLOCK TABLES");
            os.exec("SET GLOBAL read_only=0");
        } catch (SQLException e) {
            log.error("{}: could not make it writable again: {} — do it by hand: UNLOCK TABLES; SET GLOBAL read_only=0", os.server.label(), e.getMessage());
        }
    }

    /** Where the switch happens: what every replica waits for, and how it then follows the new master. */
    private sealed interface SwitchPoint {
        boolean reachedBy(ServerSession ss, Duration timeout) throws SQLException;

        String changeMaster(ServerSession ss, ServerSnapshot neu, String user, String password, boolean formerMaster);
    }

    /** The old master's last GTIDs; replicas then follow by GTID. */
    private record ByGtid(String gtids) implements SwitchPoint {
        public boolean reachedBy(ServerSession ss, Duration timeout) throws SQLException {
            return ss.waitFor(gtids, timeout);
        }

        public String changeMaster(ServerSession ss, ServerSnapshot neu, String user, String password, boolean formerMaster) {
            String host = neu.config().ip();
            int port = neu.config().port();
            return formerMaster ? ss.dialect.changeMasterForFormerMaster(host, port, user, password) : ss.dialect.changeMaster(host, port, user, password);
        }

        @Override
        public String toString() {
            return gtids;
        }
    }

    /**
     * Without GTID: the old master's binlog position when writes stopped, and the new master's own position the
     * others continue from (known once the new master stopped replicating).
     */
    private record ByPosition(BinlogPosition oldMaster, BinlogPosition newMaster) implements SwitchPoint {
        public boolean reachedBy(ServerSession ss, Duration timeout) throws SQLException {
            return ss.waitForPosition(oldMaster, timeout);
        }

        public String changeMaster(ServerSession ss, ServerSnapshot neu, String user, String password, boolean formerMaster) {
            return ss.dialect.changeMasterToPosition(neu.config().ip(), neu.config().port(), user, password, newMaster);
        }

        @Override
        public String toString() {
            return "binlog position " + oldMaster;
        }
    }

    private List<String> switchReplicas(List<ServerSnapshot> others, ServerSnapshot neu, SwitchPoint position) throws Exception {
        return new ArrayList<>(InParallel.problems(others, s -> repoint(s, neu, position)));
    }

    private Optional<String> repoint(ServerSnapshot s, ServerSnapshot neu, SwitchPoint position) {
        String user = promotion.replUser(s);
        try (ServerSession ss = promotion.session(s)) {
            if (!position.reachedBy(ss, o.gtidWait())) return Optional.of(s.label() + ": did not reach " + position);
            return promotion.repoint(ss, p -> position.changeMaster(ss, neu, user, p, false)).map(p -> s.label() + ": " + p);
        } catch (SQLException e) {
            return Optional.of(s.label() + ": " + e.getMessage());
        }
    }

    /** --orig_master_is_new_slave: the old master replicates from the new one, from what its own binlog holds. */
    private Optional<String> attachOldMaster(ServerSession os, ServerSnapshot neu, SwitchPoint point) throws SQLException {
        if (promotion.replPassword().isEmpty()) {
            return Optional.of(os.server.label() + ": repl_password is needed in the config to make the old master a replica");
        }
        String user = promotion.replUser(os.server);
        return promotion.follow(os, p -> point.changeMaster(os, neu, user, p, true)).map(p -> os.server.label() + " (old master): " + p);
    }

    private RemoteShell shell() {
        if (shell == null) shell = RemoteShell.forServer(app.first(), true);
        return shell;
    }

    /** A virtual IP that cannot be moved stops the switch inside its write block: the rollback puts everything back. */
    private void vip(VirtualIp.Outcome o) throws Refusal {
        if (!o.ok()) throw new Refusal(Refusal.Code.HOOK_FAILED, "virtual IP: " + o.summary());
        log.info("Virtual IP: {}.", o.summary());
    }

    private void hook(HookCommand cmd, Duration timeout) throws Refusal {
        promotion.hook("master_ip_online_change_script", cmd, timeout, true);
    }
}
