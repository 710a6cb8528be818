package org.mha4j.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.Topology;
import org.mha4j.topology.TopologyDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code masterha_check_repl}: discover, check, run the hook scripts' status commands, and say OK or NOT OK. */
public final class CheckRepl {
    private static final Logger log = LoggerFactory.getLogger("mha");
    public static final String OK_LINE = "MySQL Replication Health is OK.";
    public static final String NOT_OK_LINE = "MySQL Replication Health is NOT OK!";

    private CheckRepl() {}

    public static CheckReport run(AppConfig app, CheckOptions options) {
        return run(app, options, java.time.Clock.systemUTC());
    }

    /** @param managerClock the clock the servers' clocks are compared with */
    public static CheckReport run(AppConfig app, CheckOptions options, java.time.Clock managerClock) {
        log.info("Reading application default configuration from {}..", app.globalFile().map(Object::toString).orElse("(no global file)"));
        log.info("Reading server configuration from {}..", app.file());
        log.info("Checking replication health on {} servers of {}..", app.servers().size(), app.appName());
        if (app.servers().size() < 2) {
            String only = app.first().block();
            Finding f = Finding.error("config", null, app.file() + " has only one server ([" + only + "]): a failover needs a master and"
                    + " at least one replica", "add a [serverN] block for each replica");
            logFinding(f);
            return new CheckReport(List.of(f), new MasterResolution.Unresolved(List.of(f.message()), List.of()));
        }
        Topology t = new TopologyDiscovery(managerClock).discover(app);
        for (ServerSnapshot s : t.alive()) {
            log.info("{}: {}, server_id={}, read_only={}, log_bin={}, log_slave_updates={}{}", s.label(),
                    s.version().display(), s.serverId(), onOff(s.readOnly()), onOff(s.logBin()), onOff(s.logSlaveUpdates()),
                    s.replica().map(r -> ", replicating from " + r.masterId() + " (IO " + r.ioThread() + ", SQL "
                            + (r.sqlRunning() ? "Yes" : "No") + ")").orElse(""));
        }
        Map<String, ReplUserGrants> grants = ReplicationHealth.replicationUser(t)
                .map(u -> ReplUserProbe.probe(t.alive(), u)).orElse(Map.of());
        CheckReport report = ReplicationHealth.evaluate(t, grants, options);
        List<Finding> all = new ArrayList<>(report.findings());
        if (report.resolution() instanceof MasterResolution.Resolved r) {
            all.addAll(StartChecks.forFailover(app, r, Optional.empty()));
            printTree(r);
        }
        all.forEach(CheckRepl::logFinding);
        CheckReport full = new CheckReport(all, report.resolution());
        if (!full.healthy()) {
            log.error("{} problem{} found; see the lines above, each names the server and the fix.",
                    full.errors().size(), full.errors().size() == 1 ? "" : "s");
        }
        return full;
    }

    private static void printTree(MasterResolution.Resolved r) {
        log.info("Replication topology:");
        log.info("{} (current master){}", tree(r.master()), r.masterAlive() ? "" : " (not reachable)");
        for (ServerSnapshot s : r.replicas()) log.info(" +--{}", tree(s.config()));
        for (ServerSnapshot s : r.unmanaged()) log.info("    +--{} (unmanaged)", tree(s.config()));
    }

    private static String tree(ServerConfig c) {
        return c.hostname() + "(" + c.ip() + ":" + c.port() + ") [" + c.block() + "]";
    }

    private static void logFinding(Finding f) {
        switch (f.severity()) {
            case ERROR -> log.error("{}", f.text());
            case WARNING -> log.warn("{}", f.text());
            case INFO -> log.info("{}", f.text());
        }
    }

    private static String onOff(boolean b) {
        return b ? "ON" : "OFF";
    }
}
