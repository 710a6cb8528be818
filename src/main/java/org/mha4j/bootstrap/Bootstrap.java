package org.mha4j.bootstrap;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.check.CheckOptions;
import org.mha4j.check.CheckRepl;
import org.mha4j.check.CheckReport;
import org.mha4j.config.AppConfig;
import org.mha4j.config.Detection;
import org.mha4j.config.SemiSyncMode;
import org.mha4j.config.ServerConfig;
import org.mha4j.semisync.SemiSyncApplier;
import org.mha4j.semisync.SemiSyncException;
import org.mha4j.semisync.SemiSyncPlanner;
import org.mha4j.semisync.SemiSyncSettings;
import org.mha4j.topology.Db;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.MasterResolver;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.Topology;
import org.mha4j.topology.TopologyDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mha bootstrap}: running servers that do not replicate yet become the seed's topology (the master, its
 * read-only GTID replicas with the manager's heartbeat, the replication account everywhere, semi-sync as
 * {@code mha semisync enable} when the config manages it), then {@code masterha_check_repl} says whether it is whole.
 */
public final class Bootstrap {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private Bootstrap() {}

    /** @return 0 done (or nothing to do) and healthy, 1 refused or not healthy */
    public static int run(AppConfig app, ServerConfig masterConfig, boolean dryRun) {
        Topology t = new TopologyDiscovery().discover(app);
        if (!t.notAlive().isEmpty()) {
            t.notAlive().forEach(p -> log.error("{} does not answer: every server must run for a bootstrap", p.label()));
            log.error("Bootstrap refused; nothing changed.");
            return 1;
        }
        ServerSnapshot master = t.alive().stream().filter(s -> s.config().equals(masterConfig)).findFirst().orElseThrow();
        List<ServerSnapshot> others = t.alive().stream().filter(s -> !s.config().equals(masterConfig)).toList();
        Optional<String> replPassword = app.first().replPassword().map(p -> p.reveal());
        if (replPassword.isEmpty()) {
            log.error("repl_password is needed in {} for the replication account; nothing changed.", app.file());
            return 1;
        }
        String replUser = app.first().replUser().orElse("repl");
        Map<String, Boolean> existing = new HashMap<>();
        Map<String, Boolean> canGrant = new HashMap<>();
        for (ServerSnapshot s : t.alive()) {
            Accounts a = accounts(s, replUser);
            existing.put(s.label(), a.replUserExists());
            canGrant.put(s.label(), a.mayGrant());
        }
        BootstrapPlan.Plan plan = BootstrapPlan.plan(master, others, replUser, replPassword.get(), existing, canGrant,
                app.first().detection() == Detection.FAST ? Optional.of(Detection.HEARTBEAT_SECONDS) : Optional.empty());
        if (plan.refused()) {
            for (BootstrapPlan.Problem p : plan.problems()) {
                log.error("{}: {}{}", p.server(), p.problem(), p.myCnf().map(l -> " — add to its my.cnf: " + l + " (and restart it)").orElse(""));
            }
            log.error("Bootstrap refused: {} problem(s) above; nothing changed.", plan.problems().size());
            return 1;
        }
        if (plan.steps().isEmpty()) log.info("Every replica already replicates from {}: nothing to set up.", master.label());
        for (BootstrapPlan.Step s : plan.steps()) {
            log.info("{}{}: {}", dryRun ? "--dry-run, would run on " : "", s.server().label(), shown(s, replPassword.get()));
        }
        if (dryRun) return 0;
        if (!apply(plan.steps(), app)) return 1;
        if (!enableSemiSync(app, master)) return 1;
        CheckReport report = CheckRepl.run(app, CheckOptions.DEFAULTS);
        System.out.println(report.healthy() ? CheckRepl.OK_LINE : CheckRepl.NOT_OK_LINE);
        return report.healthy() ? 0 : 1;
    }

    private static String shown(BootstrapPlan.Step s, String password) {
        return s.secret() ? s.sql().replace(org.mha4j.topology.Dialect.quote(password), "'******'") : s.sql();
    }

    private static boolean apply(List<BootstrapPlan.Step> steps, AppConfig app) {
        Map<ServerConfig, List<BootstrapPlan.Step>> byServer = new java.util.LinkedHashMap<>();
        for (BootstrapPlan.Step s : steps) byServer.computeIfAbsent(s.server().config(), k -> new ArrayList<>()).add(s);
        for (Map.Entry<ServerConfig, List<BootstrapPlan.Step>> e : byServer.entrySet()) {
            try (Connection c = Db.connect(e.getKey(), Db.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(30))) {
                for (BootstrapPlan.Step s : e.getValue()) Db.execute(c, s.sql());
            } catch (SQLException x) {
                log.error("{}: {} (what ran before on it stays; bootstrap is safe to run again)", org.mha4j.topology.ServerLabels.label(e.getKey()),
                        x.getMessage().replace(app.first().replPassword().map(p -> p.reveal()).orElse("\0"), "******"));
                return false;
            }
        }
        return true;
    }

    /** With semi_sync=on, as `mha semisync enable` does it. */
    private static boolean enableSemiSync(AppConfig app, ServerSnapshot master) {
        if (app.first().semiSync() != SemiSyncMode.ON) return true;
        Topology t = new TopologyDiscovery().discover(app);
        if (!(MasterResolver.resolve(t) instanceof MasterResolution.Resolved r)) {
            log.error("After the bootstrap the master cannot be determined: run masterha_check_repl --conf={}", app.file());
            return false;
        }
        try {
            SemiSyncApplier.apply(SemiSyncPlanner.enable(r, new SemiSyncSettings(app.first().semiSyncTimeoutMs(), "AFTER_SYNC",
                    java.util.OptionalInt.empty())));
            return true;
        } catch (SemiSyncException e) {
            log.error("Enabling semi-sync failed: {}", e.getMessage());
            return false;
        }
    }

    /** What the plan needs to know of a server's accounts: whether the replication account exists, whether ours may grant. */
    private record Accounts(boolean replUserExists, boolean mayGrant) {}

    /** On one connection; a server that cannot tell is taken as "no" on both, and CREATE USER would say what is wrong. */
    private static Accounts accounts(ServerSnapshot s, String replUser) {
        try (Connection c = Db.connect(s.config(), Db.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(10))) {
            boolean exists = !Db.query(c, "SELECT 1 AS x FROM mysql.user WHERE User=?", replUser).isEmpty();
            boolean grant = Db.query(c, "SHOW GRANTS").stream().flatMap(row -> row.values().stream())
                    .anyMatch(g -> g.toUpperCase(java.util.Locale.ROOT).contains("WITH GRANT OPTION"));
            return new Accounts(exists, grant);
        } catch (SQLException e) {
            return new Accounts(false, false);
        }
    }
}
