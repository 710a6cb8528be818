package org.mha4j.check;

import static org.mha4j.check.Finding.error;
import static org.mha4j.check.Finding.info;
import static org.mha4j.check.Finding.warning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.mha4j.config.Detection;
import org.mha4j.config.ServerConfig;
import org.mha4j.semisync.SemiSyncSql;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.MasterResolver;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerProbe;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.Topology;

/**
 * The checks of {@code masterha_check_repl}, MHA's and the ones MHA lacks (duplicate server_id, log_slave_updates,
 * errant transactions, mixed GTID modes, semi-sync on the wrong side). Pure: a topology snapshot and the
 * replication account's grants in, findings out, so each check is unit-testable without a server.
 */
public final class ReplicationHealth {
    private ReplicationHealth() {}

    public static CheckReport evaluate(Topology t, Map<String, ReplUserGrants> grantsByBlock, CheckOptions o) {
        List<Finding> f = new ArrayList<>();
        MasterResolution resolution = MasterResolver.resolve(t);
        reachability(t, resolution, o, f);
        if (resolution instanceof MasterResolution.Unresolved u) {
            u.problems().forEach(p -> f.add(error("topology", null, p, null)));
            u.map().forEach(m -> f.add(info("topology", null, m)));
            return new CheckReport(f, resolution);
        }
        MasterResolution.Resolved r = (MasterResolution.Resolved) resolution;
        replicaCount(r, o, f);
        duplicateServerIds(t, f);
        for (ServerSnapshot s : r.replicas()) {
            replicaSettings(s, f);
            replicationRunning(s, o, f);
        }
        semiSyncSides(r, f);
        hungMasterDetection(r, f);
        filters(r, f);
        gtidModes(r, f);
        errantTransactions(r, f);
        binlogFormats(r, f);
        clocks(r, f);
        promotable(r, f);
        replicationUser(r, grantsByBlock, f);
        return new CheckReport(f, resolution);
    }

    private static void reachability(Topology t, MasterResolution res, CheckOptions o, List<Finding> f) {
        Optional<ServerConfig> master = res instanceof MasterResolution.Resolved r ? Optional.of(r.master()) : Optional.empty();
        for (ServerProbe p : t.notAlive()) {
            ServerConfig c = p.config();
            boolean isMaster = master.filter(c::equals).isPresent();
            String where = t.config().file().getFileName() + ":" + c.line() + " ([" + c.block() + "])";
            Finding finding = switch (p) {
                case ServerProbe.Unreachable u when u.failure().serverIsAlive() -> error("connect", p.label(),
                        "MySQL answered but refused user '" + c.user() + "': " + u.failure().reason() + " — "
                                + u.failure().detail() + ". This is not a crash; the monitoring account is wrong.",
                        "check user= and password= in " + t.config().file().getFileName()
                                + " and that the account exists on this server for the manager's host with the needed privileges");
                case ServerProbe.Unreachable u -> error("connect", p.label(),
                        (isMaster ? "the current master" : "the server") + " is not reachable: " + u.failure().reason()
                                + " (" + u.failure().detail() + ").",
                        "is mysqld running there? Are hostname and port right in " + where + "?");
                case ServerProbe.Unreadable u -> error("connect", p.label(), u.error(), null);
                case ServerProbe.Alive a -> throw new IllegalStateException("alive server in notAlive()");
            };
            if (!isMaster && c.ignoreFail() && o.ignoreFailOnStart()) {
                f.add(warning("connect", p.label(), finding.message() + " Ignored: ignore_fail=1 and --ignore_fail_on_start.", null));
            } else {
                f.add(finding);
            }
        }
    }

    private static void replicaCount(MasterResolution.Resolved r, CheckOptions o, List<Finding> f) {
        int n = r.replicas().size();
        if (n == 1 && o.minReplicas() <= 1 && !o.monitoring()) {
            f.add(warning("replicas", null, "only one alive replica: after a failover the new master has none left, and no"
                    + " replica to acknowledge semi-sync commits.", "add a second replica (the seed's advice; --min_replicas=2 makes this an error)"));
        }
        if (n < o.minReplicas()) {
            f.add(error("replicas", null, "only " + n + " alive replica" + (n == 1 ? "" : "s") + " of "
                            + label(r) + "; at least " + o.minReplicas() + " are needed so that after a failover the new master still has a replica"
                            + " (and semi-sync an acknowledger).",
                    "add a replica, or run with --min_replicas=1 to accept MHA's minimum of one"));
        }
    }

    private static String label(MasterResolution.Resolved r) {
        return r.masterSnapshot().map(ServerSnapshot::label).orElse(r.master().block());
    }

    private static void duplicateServerIds(Topology t, List<Finding> f) {
        Map<Long, List<ServerSnapshot>> byId = new LinkedHashMap<>();
        t.alive().forEach(s -> byId.computeIfAbsent(s.serverId(), k -> new ArrayList<>()).add(s));
        byId.forEach((id, list) -> {
            if (list.size() > 1) {
                f.add(error("server_id", null, "server_id=" + id + " is used by " + String.join(" and ",
                                list.stream().map(ServerSnapshot::label).toList())
                                + "; replicas skip events carrying their own server_id, so replication silently loses data.",
                        "give every server a distinct server-id in my.cnf and SET GLOBAL server_id on the running server"));
            }
        });
    }

    private static void replicaSettings(ServerSnapshot s, List<Finding> f) {
        if (!s.readOnly()) {
            f.add(error("read_only", s.label(), "read_only is OFF on a replica: applications can write to it, and those writes"
                            + " become errant transactions that block or corrupt a failover.",
                    "SET GLOBAL read_only=1 on " + s.name() + ", and add read_only=1 to its my.cnf"));
        }
        boolean promotable = !s.config().noMaster();
        if (!s.logBin()) {
            f.add(s.config().candidateMaster()
                    ? error("log_bin", s.label(), "log-bin is off, but candidate_master=1: a server without a binary log cannot become master.",
                            "enable log-bin (and log_slave_updates) in my.cnf and restart, or set candidate_master=0")
                    : warning("log_bin", s.label(), "log-bin is off: this server cannot become master.",
                            "enable log-bin in my.cnf, or set no_master=1 to state it"));
        } else if (!s.logSlaveUpdates() && promotable) {
            f.add(error("log_slave_updates", s.label(), "log_slave_updates is OFF: the transactions it replicates are not in its own"
                            + " binary log, so after a promotion the other replicas cannot catch up from it.",
                    "set log_slave_updates=1 in my.cnf and restart, or set no_master=1 for this server"));
        }
    }

    private static void replicationRunning(ServerSnapshot s, CheckOptions o, List<Finding> f) {
        ReplicaStatus r = s.replica().orElseThrow();
        if (o.monitoring() && !r.sqlThreadFailed()) {
            if (!r.ioRunning() || !r.sqlRunning()) {
                f.add(warning("replication", s.label(), "replication is paused (IO thread " + r.ioThread() + ", SQL thread "
                        + (r.sqlRunning() ? "Yes" : "No") + "): monitored all the same; a failover starts its SQL thread and recovers it.",
                        "START SLAVE on " + s.name() + " when the pause is over"));
            }
            return;
        }
        if (o.monitoring() && s.config().ignoreFail() && o.ignoreFailOnStart()) {
            f.add(warning("replication", s.label(), "Slave SQL thread failed (" + r.sqlError() + "). Ignored: ignore_fail=1 and"
                    + " --ignore_fail_on_start; a failover leaves it out.", "repair the data conflict, then START SLAVE SQL_THREAD"));
            return;
        }
        if (!r.ioRunning()) {
            String why = r.lastIoErrno() != 0 ? " Last_IO_Errno=" + r.lastIoErrno() + ", Last_IO_Error: " + r.lastIoError() : "";
            f.add(error("replication", s.label(), "Slave IO thread is " + (r.ioThread() == ReplicaStatus.ThreadState.CONNECTING
                            ? "still connecting to " + r.masterId() : "not running") + "." + why,
                    r.lastIoErrno() == 1045 ? "the replication account cannot log in to the master: check MASTER_USER/MASTER_PASSWORD"
                            : "fix the cause above, then START SLAVE IO_THREAD on " + s.name()));
        }
        if (!r.sqlRunning()) {
            String why = r.lastSqlErrno() != 0 ? " Last_SQL_Errno=" + r.lastSqlErrno() + ", Last_SQL_Error: " + r.lastSqlError() : "";
            f.add(error("replication", s.label(), "Slave SQL thread is not running." + why,
                    r.lastSqlErrno() != 0 ? "repair the data conflict named above (do not skip it blindly), then START SLAVE SQL_THREAD"
                            : "START SLAVE SQL_THREAD on " + s.name()));
        }
        if (r.ioRunning() && r.sqlRunning()) {
            if (r.secondsBehind().isEmpty()) {
                f.add(error("lag", s.label(), "failed to get Seconds_Behind_Master.", null));
            } else if (r.secondsBehind().getAsLong() > o.secondsBehindMaster()) {
                f.add(error("lag", s.label(), "replica is currently behind " + r.secondsBehind().getAsLong()
                                + " seconds (limit " + o.secondsBehindMaster() + ").",
                        "wait for it to catch up, or raise --seconds_behind_master"));
            }
        }
    }

    /** Above this a clock is reported: binlog timestamps and Seconds_Behind_Master mislead by as much. */
    static final long CLOCK_WARNING_MILLIS = 1000;

    /**
     * Every server's clock next to the manager's (the seed: time must be synchronized): a warning above 1 s, an error
     * above max_clock_skew, both net of the reading's own uncertainty (half its round trip).
     */
    private static void clocks(MasterResolution.Resolved r, List<Finding> f) {
        List<ServerSnapshot> all = new ArrayList<>(r.replicas());
        r.masterSnapshot().ifPresent(m -> all.add(0, m));
        for (ServerSnapshot s : all) {
            if (s.clock().isEmpty()) continue;
            long skew = s.clock().get().provenSkewMillis();
            long offset = s.clock().get().offsetMillis();
            String text = "its clock is " + Math.abs(offset) + " ms " + (offset > 0 ? "ahead of" : "behind") + " the manager's";
            String fix = "synchronize the clocks (chrony or systemd-timesyncd on every host): binlog timestamps and"
                    + " Seconds_Behind_Master are read against them";
            if (skew > s.config().maxClockSkew().toMillis()) {
                f.add(error("clock", s.label(), text + ", more than max_clock_skew=" + s.config().maxClockSkew().toSeconds() + " s", fix));
            } else if (skew > CLOCK_WARNING_MILLIS) {
                f.add(warning("clock", s.label(), text, fix));
            }
        }
    }

    /**
     * A replica's IO thread says "Yes" until slave_net_timeout after its master hung; with detection=mha that vetoes
     * the failover that long. detection=fast has the manager set a heartbeat every half second instead.
     */
    private static void hungMasterDetection(MasterResolution.Resolved r, List<Finding> f) {
        Detection d = r.master().detection();
        for (ServerSnapshot s : r.replicas()) {
            String timeout = s.variables().getOrDefault("slave_net_timeout", s.variables().getOrDefault("replica_net_timeout", "?"));
            if (d == Detection.FAST) {
                f.add(info("heartbeat", s.label(), "slave_net_timeout=" + timeout + "; the manager sets MASTER_HEARTBEAT_PERIOD="
                        + Detection.HEARTBEAT_SECONDS + " here at start (detection=fast), so that a hung master is told from a quiet one in seconds"));
            } else if (!timeout.matches("\\d+") || Long.parseLong(timeout) > 10) {
                f.add(warning("heartbeat", s.label(), "slave_net_timeout=" + timeout + " and detection=mha: after the master hangs, this"
                                + " replica's IO thread says Yes for up to " + timeout + " s, and the manager does not fail over while a replica"
                                + " still receives.",
                        "detection=fast (the default) has the manager keep a heartbeat every half second; or lower slave_net_timeout"));
            }
        }
    }

    private static void semiSyncSides(MasterResolution.Resolved r, List<Finding> f) {
        for (ServerSnapshot s : r.replicas()) {
            if (s.semiSync().masterEnabled()) {
                f.add(warning("semi-sync", s.label(), "the semi-sync master side is ON on a replica: with log_slave_updates its"
                                + " SQL thread waits out the whole semi-sync timeout on every transaction it applies.",
                        SemiSyncSql.masterSideOff(s) + " on " + s.name() + " (MHA4J turns it on when promoting)"));
            }
        }
        r.masterSnapshot().ifPresent(m -> f.add(info("semi-sync", m.label(), m.semiSync().describe())));
    }

    private static void filters(MasterResolution.Resolved r, List<Finding> f) {
        if (r.replicas().isEmpty() || !r.replicas().getFirst().config().checkReplFilter()) return;
        differs(r.replicas(), s -> s.replica().orElseThrow().filters().describe(), "replication filters", f,
                "after a failover every replica applies the same binary log, so differing filters leave them with different data",
                "make Replicate_Do_DB/Ignore_DB/Do_Table/Ignore_Table/Wild_* identical on every replica, or set check_repl_filter=0");
        List<ServerSnapshot> logBin = new ArrayList<>(r.replicas().stream().filter(ServerSnapshot::logBin).toList());
        r.masterSnapshot().ifPresent(m -> logBin.addFirst(m));
        differs(logBin, s -> s.binlogFilters().describe(), "binary log filters", f,
                "a promoted replica would leave different databases out of its binary log than the master did",
                "make binlog-do-db/binlog-ignore-db identical on every server with log-bin");
    }

    private static void differs(List<ServerSnapshot> servers, Function<ServerSnapshot, String> value, String what,
                                List<Finding> f, String why, String fix) {
        if (servers.stream().map(value).distinct().count() <= 1) return;
        StringBuilder sb = new StringBuilder("bad " + what + ": ");
        servers.forEach(s -> sb.append(s.label()).append(" has ").append(value.apply(s)).append("; "));
        f.add(error("filters", null, sb + why + ".", fix));
    }

    private static void gtidModes(MasterResolution.Resolved r, List<Finding> f) {
        List<ServerSnapshot> all = new ArrayList<>(r.replicas());
        r.masterSnapshot().ifPresent(all::addFirst);
        if (all.stream().map(s -> s.version().flavor()).distinct().count() > 1) {
            f.add(error("gtid", null, "MySQL and MariaDB servers are mixed in one application; their GTIDs are incompatible.",
                    "manage each flavour's replication group in its own application config"));
            return;
        }
        if (all.stream().map(s -> s.gtid().enabled()).distinct().count() > 1) {
            StringBuilder sb = new StringBuilder("mixed gtid_mode: ");
            all.forEach(s -> sb.append(s.label()).append(" gtid_mode=").append(s.gtid().mode()).append("; "));
            f.add(error("gtid", null, sb + "GTID failover needs gtid_mode=ON everywhere.",
                    "bring every server to gtid_mode=ON (and enforce_gtid_consistency=ON)"));
        }
        List<ServerSnapshot> usingGtid = r.replicas().stream().filter(s -> s.replica().orElseThrow().usesGtid()).toList();
        if (!usingGtid.isEmpty() && usingGtid.size() < r.replicas().size()) {
            StringBuilder sb = new StringBuilder("mixed replication modes: ");
            r.replicas().forEach(s -> sb.append(s.label()).append(" ")
                    .append(s.replica().orElseThrow().usesGtid() ? "uses GTID (" + s.replica().orElseThrow().gtidMode() + ")" : "uses file/position")
                    .append("; "));
            f.add(error("gtid", null, sb + "failover re-points every replica by GTID, so all must use it.",
                    Dialect.of(usingGtid.getFirst().version()).enableGtidPositioning() + " on the others"));
        } else if (usingGtid.isEmpty() && !r.replicas().isEmpty()) {
            f.add(info("gtid", null, "no replica uses GTID auto-positioning: a failover recovers by binlog file and position,"
                    + " with the node tools (save_binary_logs, apply_diff_relay_logs) over SSH"));
            for (ServerSnapshot s : r.replicas()) {
                String purge = s.variables().getOrDefault("relay_log_purge", "");
                if (purge.equalsIgnoreCase("ON") || purge.equals("1")) {
                    f.add(warning("relay_log_purge", s.label(), "relay_log_purge=ON: a failover without GTID brings the other replicas"
                                    + " up to date from the latest replica's relay logs, which the server may already have purged.",
                            "SET GLOBAL relay_log_purge=0 (and relay_log_purge=0 in my.cnf); purge with purge_relay_logs from cron"));
                }
            }
        }
        f.add(info("gtid", null, "GTID failover mode = " + (usingGtid.isEmpty() ? 0 : 1)));
    }

    private static void errantTransactions(MasterResolution.Resolved r, List<Finding> f) {
        if (r.masterSnapshot().isEmpty()) return;
        ServerSnapshot m = r.masterSnapshot().get();
        for (ServerSnapshot s : r.replicas()) {
            if (s.version().flavor() != m.version().flavor()) continue;
            GtidSet extra = s.gtid().executed().subtract(m.gtid().executed());
            if (extra.isEmpty()) continue;
            f.add(error("errant", s.label(), "holds transactions the master " + m.label() + " does not have (errant GTIDs: "
                            + extra + "). They were written on the replica itself; if it were promoted they would be replicated"
                            + " everywhere, and the old master could never rejoin.",
                    Dialect.of(s.version()).errantTransactionsFix(s.name())));
        }
    }

    private static void binlogFormats(MasterResolution.Resolved r, List<Finding> f) {
        List<ServerSnapshot> all = new ArrayList<>(r.replicas().stream().filter(ServerSnapshot::logBin).toList());
        r.masterSnapshot().ifPresent(all::addFirst);
        if (all.stream().map(ServerSnapshot::binlogFormat).distinct().count() > 1) {
            StringBuilder sb = new StringBuilder("binlog_format differs: ");
            all.forEach(s -> sb.append(s.label()).append(' ').append(s.binlogFormat()).append("; "));
            f.add(warning("binlog_format", null, sb + "a promoted replica would change how changes are logged.",
                    "use the same binlog_format (ROW) on every server"));
        }
    }

    private static boolean canBePromoted(ServerSnapshot s) {
        return s.logBin() && !s.config().noMaster();
    }

    private static void promotable(MasterResolution.Resolved r, List<Finding> f) {
        if (!r.replicas().isEmpty() && r.replicas().stream().noneMatch(ReplicationHealth::canBePromoted)) {
            f.add(error("candidates", null, "none of the replicas can be master (each has no_master=1 or log-bin off).",
                    "enable log-bin on at least one replica, or remove no_master=1 from one of them"));
        }
    }

    private static void replicationUser(MasterResolution.Resolved r, Map<String, ReplUserGrants> grants, List<Finding> f) {
        List<ServerSnapshot> targets = new ArrayList<>(r.replicas().stream().filter(ReplicationHealth::canBePromoted).toList());
        r.masterSnapshot().ifPresent(targets::addFirst);
        for (ServerSnapshot s : targets) {
            ReplUserGrants g = grants.get(s.config().block());
            if (g == null) continue;
            if (g.error().isPresent()) {
                f.add(warning("repl_user", s.label(), "cannot verify the replication account '" + g.user() + "': " + g.error().get(),
                        "GRANT SELECT ON mysql.* to the monitoring user, or check the account by hand"));
            } else if (!g.exists()) {
                f.add(error("repl_user", s.label(), "replication user '" + g.user() + "' does not exist here; after a failover to this server"
                                + " the other replicas could not log in to it.",
                        "CREATE USER '" + g.user() + "'@'<replica hosts>' IDENTIFIED BY '...'; GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO it"
                                + " (on the master, so that it replicates everywhere)"));
            } else if (!g.replicationSlave()) {
                f.add(error("repl_user", s.label(), "replication user '" + g.user() + "' lacks the REPLICATION SLAVE privilege here;"
                                + " other replicas can not start replication from this host.",
                        "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + g.user() + "'@'<host>' (on the master)"));
            } else if (!g.replicationClient()) {
                f.add(warning("repl_user", s.label(), "replication user '" + g.user() + "' lacks " + Dialect.of(s.version()).replicationClientPrivilege()
                                + "; replication works without it, but the seed's setup and monitoring tools expect it.",
                        "GRANT REPLICATION CLIENT ON *.* TO '" + g.user() + "'@'<host>'"));
            }
        }
    }

    /** The account the replicas use: repl_user from the config, else what the first replica's Master_User says (as MHA). */
    public static Optional<String> replicationUser(Topology t) {
        Optional<String> configured = t.config().servers().getFirst().replUser();
        if (configured.isPresent()) return configured;
        return t.alive().stream().flatMap(s -> s.replica().stream()).map(ReplicaStatus::masterUser)
                .filter(u -> !u.isBlank()).findFirst();
    }
}
