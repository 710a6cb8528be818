package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.mha4j.config.AppConfig;
import org.mha4j.semisync.SemiSyncApplier;
import org.mha4j.semisync.SemiSyncException;
import org.mha4j.semisync.SemiSyncPlanner;
import org.mha4j.semisync.SemiSyncReport;
import org.mha4j.semisync.SemiSyncSettings;
import org.mha4j.semisync.ServerAction;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.MasterResolver;
import org.mha4j.topology.Topology;
import org.mha4j.topology.TopologyDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mha semisync}: semi-synchronous replication on every server of an application, one command per intent. */
@Command(name = "semisync", mixinStandardHelpOptions = true,
        description = {"Semi-synchronous replication, managed on every server of an application config:",
                "enable / disable / uninstall / tune change it, status says whether the cluster is lossless."},
        subcommands = {SemiSyncCommand.Enable.class, SemiSyncCommand.Disable.class, SemiSyncCommand.Uninstall.class,
                SemiSyncCommand.Tune.class, SemiSyncCommand.Status.class})
public final class SemiSyncCommand {
    private static final Logger log = LoggerFactory.getLogger("mha");

    /** Shared by the commands that change servers: discover, plan, show or apply, explain how to keep it. */
    abstract static class Change implements Callable<Integer> {
        @Mixin
        ConfOptions conf;

        @Option(names = "--dry-run", description = "Print the statements per server and change nothing.")
        boolean dryRun;

        abstract List<ServerAction> plan(AppConfig app, MasterResolution.Resolved r);

        /** After the statements ran: 0, or 1 with the reason logged. */
        int verify(MasterResolution.Resolved r) {
            return 0;
        }

        /** What the options alone make wrong, said before any server is asked. */
        Optional<String> problem(AppConfig app) {
            return Optional.empty();
        }

        @Override
        public Integer call() {
            try {
                AppConfig app = conf.load();
                Optional<String> bad = problem(app);
                if (bad.isPresent()) {
                    log.error("{}; nothing changed", bad.get());
                    return 1;
                }
                Topology t = new TopologyDiscovery().discover(app);
                if (!(MasterResolver.resolve(t) instanceof MasterResolution.Resolved r)) {
                    log.error("the master cannot be determined; run masterha_check_repl --conf={} for the details", conf.conf);
                    return 1;
                }
                List<ServerAction> plan = plan(app, r);
                if (dryRun) {
                    for (ServerAction a : plan) {
                        a.sql().forEach(s -> System.out.println(a.server().label() + ": " + s));
                        if (a.restartIo()) System.out.println(a.server().label() + ": (restart the IO thread)");
                    }
                    return 0;
                }
                SemiSyncApplier.apply(plan);
                int rc = verify(r);
                printMyCnf(plan);
                return rc;
            } catch (SemiSyncException | IllegalArgumentException e) {
                log.error("{}", e.getMessage());
                return 1;
            }
        }

        private static void printMyCnf(List<ServerAction> plan) {
            if (plan.stream().allMatch(a -> a.myCnfLines().isEmpty())) return;
            System.out.println();
            System.out.println("These settings are live but not persistent. To keep them after a restart, add to the [mysqld] section of each my.cnf:");
            for (ServerAction a : plan) {
                if (a.myCnfLines().isEmpty()) continue;
                System.out.println("  " + a.server().label() + ":");
                a.myCnfLines().forEach(l -> System.out.println("    " + l));
            }
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = {"Master side on the master, replica side on every replica (their IO threads restart to register),",
                    "wait point AFTER_SYNC (lossless), then verify each replica registered. Idempotent."})
    static final class Enable extends Change {
        @Option(names = "--timeout-ms", converter = Numbers.SemiSyncTimeout.class, paramLabel = "MS", description = "rpl_semi_sync_master_timeout (default: semi_sync_timeout from the config, 10000; infinite there: never fall back).")
        Long timeoutMs;

        @Option(names = "--wait-point", defaultValue = SemiSyncSettings.LOSSLESS, paramLabel = "AFTER_SYNC|AFTER_COMMIT",
                description = "Default ${DEFAULT-VALUE}: a commit is visible only once a replica has it.")
        String waitPoint;

        @Option(names = "--wait-for-replicas", converter = Numbers.Positive.class, paramLabel = "N", description = "MySQL 5.7+: acknowledgements each commit waits for.")
        Integer waitForReplicas;

        @Override
        Optional<String> problem(AppConfig app) {
            String wp = waitPoint.toUpperCase(java.util.Locale.ROOT);
            if (!wp.equals("AFTER_SYNC") && !wp.equals("AFTER_COMMIT")) {
                return Optional.of("--wait-point must be AFTER_SYNC or AFTER_COMMIT, not " + Problems.shorten(waitPoint));
            }
            int replicas = app.servers().size() - 1;
            if (waitForReplicas != null && waitForReplicas > replicas) {
                return Optional.of("--wait-for-replicas=" + waitForReplicas + " but " + app.appName() + " has " + replicas
                        + " replica(s): every commit would wait out the timeout and fall back to asynchronous replication");
            }
            return Optional.empty();
        }

        @Override
        List<ServerAction> plan(AppConfig app, MasterResolution.Resolved r) {
            long timeout = timeoutMs != null ? timeoutMs : r.master().semiSyncTimeoutMs();
            String wp = waitPoint.toUpperCase(java.util.Locale.ROOT);
            return SemiSyncPlanner.enable(r, new SemiSyncSettings(timeout, wp,
                    waitForReplicas == null ? OptionalInt.empty() : OptionalInt.of(waitForReplicas)));
        }

        @Override
        int verify(MasterResolution.Resolved r) {
            List<String> missing = SemiSyncApplier.awaitRegistration(r, Duration.ofSeconds(10));
            if (missing.isEmpty()) {
                log.info("semi-sync enabled: all {} replica(s) registered with the master {}.", r.replicas().size(), r.master().block());
                return 0;
            }
            missing.forEach(m -> log.error("{}", m));
            log.error("semi-sync is on, but {} replica(s) did not register: fix their replication, then run `mha semisync enable` again.", missing.size());
            return 1;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Both sides OFF everywhere; replicas reconnect asynchronously.")
    static final class Disable extends Change {
        @Override
        List<ServerAction> plan(AppConfig app, MasterResolution.Resolved r) {
            return SemiSyncPlanner.disable(r);
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Disable, then UNINSTALL PLUGIN where semi-sync is a plugin (MySQL). MariaDB's is built in: it is only disabled.")
    static final class Uninstall extends Change {
        @Override
        List<ServerAction> plan(AppConfig app, MasterResolution.Resolved r) {
            return SemiSyncPlanner.uninstall(r);
        }
    }

    @Command(name = "tune", mixinStandardHelpOptions = true,
            description = "Change the timeout (and optionally the wait point) on every server that has the master side.")
    static final class Tune extends Change {
        @Option(names = "--timeout-ms", converter = Numbers.SemiSyncTimeout.class, required = true, paramLabel = "MS", description = "New rpl_semi_sync_master_timeout.")
        long timeoutMs;

        @Option(names = "--wait-point", paramLabel = "AFTER_SYNC|AFTER_COMMIT", description = "New wait point (optional).")
        String waitPoint;

        @Override
        List<ServerAction> plan(AppConfig app, MasterResolution.Resolved r) {
            if (timeoutMs <= 0) throw new IllegalArgumentException("--timeout-ms must be positive, not " + timeoutMs);
            return SemiSyncPlanner.tune(r, timeoutMs, waitPoint == null ? null : waitPoint.toUpperCase());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"One row per server and a verdict: lossless, degraded (fell back to async, no replica connected,",
                    "AFTER_COMMIT), or off. Exit code: 0 lossless, 2 degraded, 3 off, 1 unknown or error."})
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfOptions conf;

        @Option(names = "--json", description = "Print JSON instead of the table.")
        boolean json;

        @Override
        public Integer call() {
            SemiSyncReport report = SemiSyncReport.of(new TopologyDiscovery().discover(conf.load()));
            System.out.print(json ? report.json() + "\n" : report.table());
            return report.verdict().exitCode;
        }
    }
}
