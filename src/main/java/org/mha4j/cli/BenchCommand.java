package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mha4j.bench.FailoverBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks on a local sandbox (figures, not pass/fail).",
        subcommands = {BenchCommand.Failover.class, BenchCommand.Switch.class, BenchCommand.Scale.class})
public final class BenchCommand {

    @Command(name = "failover", mixinStandardHelpOptions = true,
            description = {"Fresh sandbox per trial, writers committing on the master, a fault injected into it, masterha_manager",
                    "(a separate process) fails over. Prints a table (and --json FILE): detection, phases, total, client write",
                    "outage, acknowledged and lost commits, commits only the old master has when it comes back, the manager's",
                    "CPU time and peak RSS. Exit 1 if a trial lost an acknowledged commit with semi-sync on, or failed over a healthy master."})
    static final class Failover implements Callable<Integer> {
        @Option(names = "--trials", converter = Numbers.Positive.class, defaultValue = "3", description = "Trials per fault (default ${DEFAULT-VALUE}).")
        int trials;
        @Option(names = "--faults", defaultValue = "kill", split = ",", description = {"kill, stop (SIGSTOP), shutdown, replica_dies, manager_restart,",
                "fallback_then_kill (acks held back until the master falls back to async, kill -9 0-1 s later),",
                "partition (the master cut off from the manager and the replicas, its clients writing; root);",
                "manager_cut (only the manager loses the master for 60 s; root), packet_loss (30 %% of the master's packets lost",
                "for 60 s, emulated in a proxy as TCP retransmission delays; root): these two must not fail over;",
                "comma-separated (default ${DEFAULT-VALUE})."})
        List<String> faults;
        @Option(names = "--semi-sync-timeout", paramLabel = "MS|infinite", description = "semi_sync_timeout of the master and the config (default: the sandbox's, 5000).")
        String semiSyncTimeout;
        @Option(names = "--nodes", converter = Numbers.Nodes.class, defaultValue = "3", description = "Servers per sandbox (default ${DEFAULT-VALUE}).")
        int nodes;
        @Option(names = {"--threads", "--clients"}, converter = Numbers.Positive.class, defaultValue = "4", description = "Writer threads (default ${DEFAULT-VALUE}).")
        int threads;
        @Option(names = "--ping-interval", converter = Numbers.Positive.class, defaultValue = "1", description = "ping_interval in seconds (default ${DEFAULT-VALUE}).")
        int pingInterval;
        @Option(names = "--semi-sync", defaultValue = "on", description = "on or off (default ${DEFAULT-VALUE}).")
        String semiSync;
        @Option(names = "--flavor", defaultValue = "mariadb", description = "mariadb, mariadb-11.4 or mysql-5.6 (default ${DEFAULT-VALUE}).")
        String flavor;
        @Option(names = "--replication", defaultValue = "gtid", paramLabel = "gtid|position",
                description = "gtid (default) or position: replicas by file and position, failover with the node tools.")
        String replication;
        @Option(names = "--server-defaults", description = "Undo the sandbox's network tuning (slave_net_timeout=4): the servers'"
                + " defaults, slave_net_timeout=60 and a heartbeat every 30 s, as production servers run.")
        boolean serverDefaults;

        @Option(names = "--managers", converter = Numbers.Positive.class, defaultValue = "1", description = {"Managers watching the"
                + " sandbox (default ${DEFAULT-VALUE}); 2 or more need --coordination zookeeper: each trial then kills the master alone,",
                "then the master and the leader manager together, and reports what the standby's takeover adds",
                "(--trials, --nodes, --threads, --flavor and --dir apply; the sandbox's semi-sync and GTID replication)."})
        int managers;
        @Option(names = "--coordination", defaultValue = "none", paramLabel = "none|zookeeper",
                description = "zookeeper: the managers share the application through a real three-server ZooKeeper ensemble started here.")
        String coordination;

        @Option(names = "--dir", defaultValue = "./bench-data", description = "Work directory (default ${DEFAULT-VALUE}).")
        Path dir;
        @Option(names = "--json", description = "Also write the results as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (!coordination.equals("none") && !coordination.equals("zookeeper")) {
                System.err.println("--coordination must be none or zookeeper, not " + Problems.shorten(coordination));
                return 2;
            }
            if ((managers > 1) != coordination.equals("zookeeper")) {
                System.err.println("--managers 2 or more and --coordination zookeeper go together: two managers without coordination"
                        + " would both fail over the same master.");
                return 2;
            }

            if (!semiSync.equalsIgnoreCase("on") && !semiSync.equalsIgnoreCase("off")) {
                System.err.println("--semi-sync must be on or off, not " + Problems.shorten(semiSync));
                return 2;
            }
            if (!replication.equals("gtid") && !replication.equals("position")) {
                System.err.println("--replication must be gtid or position, not " + Problems.shorten(replication));
                return 2;
            }
            org.mha4j.sandbox.SandboxFlavor chosenFlavor;
            try {
                chosenFlavor = org.mha4j.sandbox.SandboxFlavor.parse(flavor);
            } catch (org.mha4j.sandbox.SandboxException e) {
                System.err.println("--flavor: " + e.getMessage());
                return 2;
            }
            if (managers > 1) {
                if (json != null || !faults.equals(List.of("kill")) || replication.equals("position") || serverDefaults || semiSyncTimeout != null) {
                    System.err.println("--managers 2 or more measures kill -9 with GTID and the sandbox's settings: --json, --faults,"
                            + " --replication position, --server-defaults and --semi-sync-timeout do not apply to it.");
                    return 2;
                }
                return coordinated(chosenFlavor);
            }
            boolean semi = semiSync.equalsIgnoreCase("on");
            List<FailoverBench.Fault> chosen = new ArrayList<>();
            for (String f : faults) {
                try {
                    chosen.add(FailoverBench.Fault.valueOf(f.strip().toUpperCase()));
                } catch (IllegalArgumentException e) {
                    System.err.println("--faults: unknown fault '" + f.strip() + "'; known: " + String.join(", ",
                            java.util.Arrays.stream(FailoverBench.Fault.values()).map(x -> x.name().toLowerCase()).toList()));
                    return 2;
                }
            }
            if (semiSyncTimeout != null) {
                try {
                    org.mha4j.config.ServerConfig.semiSyncTimeoutMs(semiSyncTimeout);
                } catch (IllegalArgumentException e) {
                    System.err.println("--semi-sync-timeout: " + e.getMessage());
                    return 2;
                }
            }
            FailoverBench.Settings settings = new FailoverBench.Settings(dir.toAbsolutePath(), nodes, threads,
                    chosenFlavor, pingInterval, semi, replication.equals("position"),
                    java.util.Optional.ofNullable(semiSyncTimeout), serverDefaults);
            FailoverBench bench = new FailoverBench(settings);
            List<FailoverBench.Trial> all = new ArrayList<>();
            int n = 0;
            for (FailoverBench.Fault fault : chosen) {
                for (int i = 0; i < trials; i++) all.add(bench.trial(++n, fault));
            }
            System.out.println();
            System.out.print(FailoverBench.table(all));
            System.out.printf("median: detection %s ms, failover %s ms, write outage %s ms (semi-sync %s, ping_interval=%d, %s)%n",
                    FailoverBench.median(all.stream().map(FailoverBench.Trial::detectionMs).toList()),
                    FailoverBench.median(all.stream().map(FailoverBench.Trial::failoverMs).toList()),
                    FailoverBench.median(all.stream().map(FailoverBench.Trial::writeOutageMs).toList()), semi ? "on" : "off",
                    pingInterval, flavor + (replication.equals("position") ? ", file/position" : "")
                            + (serverDefaults ? ", server defaults: slave_net_timeout=60" : ", sandbox: slave_net_timeout=4"));
            // A partition with a finite semi_sync_timeout: the isolated master acknowledges commits alone once it times out;
            // those are counted apart, as what lived only on the fenced master (semi_sync_timeout=infinite prevents them).
            boolean infinite = settings.semiSyncTimeoutMs() == org.mha4j.config.ServerConfig.SEMI_SYNC_TIMEOUT_INFINITE_MS;
            java.util.function.Predicate<FailoverBench.Trial> alone = t -> t.fault() == FailoverBench.Fault.PARTITION && !infinite;
            int onFenced = all.stream().filter(alone).mapToInt(t -> Math.max(0, t.lost())).sum();
            if (all.stream().anyMatch(alone)) {
                System.out.println("partition: " + onFenced + " acknowledged commits lived only on the fenced old master (semi_sync_timeout="
                        + settings.semiSyncTimeoutMs() + "; infinite prevents them);"
                        + " median fence after the partition healed " + FailoverBench.median(all.stream().filter(alone).map(FailoverBench.Trial::fenceMs).toList()) + " ms.");
            }
            int lost = all.stream().filter(alone.negate()).mapToInt(t -> Math.max(0, t.lost())).sum();
            boolean allDone = all.stream().filter(t -> !t.fault().healthyMaster()).allMatch(FailoverBench.Trial::failedOver);
            List<FailoverBench.Trial> healthy = all.stream().filter(t -> t.fault().healthyMaster()).toList();
            long falseFailovers = healthy.stream().filter(FailoverBench.Trial::failedOver).count();
            if (!healthy.isEmpty()) {
                System.out.println("healthy master (manager_cut, packet_loss): " + falseFailovers + " false failover(s) in " + healthy.size()
                        + " trial(s) of " + FailoverBench.NO_FAILOVER_WINDOW.toSeconds() + " s each.");
            }
            System.out.println(semi
                    ? (lost == 0 && allDone ? "semi-sync on: 0 acknowledged commits lost in every trial." : "semi-sync on: " + lost + " acknowledged commits LOST, or a failover did not complete.")
                    : "semi-sync off: " + lost + " acknowledged commits lost in all (asynchronous replication promises nothing).");
            if (json != null) java.nio.file.Files.writeString(json, FailoverBench.json(settings, all) + "\n");
            return semi && (lost > 0 || !allDone) || falseFailovers > 0 ? 1 : 0;
        }

        /** Kill faults only, GTID and semi-sync on (the sandbox's): the figure is the takeover's cost. */
        private int coordinated(org.mha4j.sandbox.SandboxFlavor chosenFlavor) throws Exception {
            List<org.mha4j.bench.CoordinatedFailoverBench.Trial> all = new org.mha4j.bench.CoordinatedFailoverBench(
                    dir.toAbsolutePath(), managers, nodes, threads, chosenFlavor).run(trials);
            System.out.println();
            System.out.print(org.mha4j.bench.CoordinatedFailoverBench.report(all, managers));
            int lost = all.stream().mapToInt(org.mha4j.bench.CoordinatedFailoverBench.Trial::lost).sum();
            boolean once = all.stream().allMatch(t -> t.failovers() == 1);
            System.out.println((lost == 0 ? "0 acknowledged commits lost" : lost + " acknowledged commits LOST") + "; "
                    + (once ? "exactly one failover per master crash in every trial." : "a trial did NOT have exactly one failover."));
            return lost == 0 && once ? 0 : 1;
        }
    }

    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Online switches back and forth on one sandbox under writers that follow the master; prints the write-block time of each and the median.")
    static final class Switch implements Callable<Integer> {
        @Option(names = "--runs", converter = Numbers.Positive.class, defaultValue = "5", description = "Switches (default ${DEFAULT-VALUE}).")
        int runs;
        @Option(names = "--clients", converter = Numbers.Positive.class, defaultValue = "4", description = "Writer threads (default ${DEFAULT-VALUE}).")
        int clients;
        @Option(names = "--dir", defaultValue = "./bench-data/switch", description = "Sandbox directory (default ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            try (org.mha4j.sandbox.Sandbox sb = org.mha4j.sandbox.Sandbox.create(dir.toAbsolutePath(), 3, 0).up()) {
                try (java.sql.Connection c = sb.connect(1)) {
                    org.mha4j.bench.LoadWriter.createTable(c);
                }
                java.nio.file.Path global = java.nio.file.Files.writeString(dir.toAbsolutePath().resolve("empty-global.cnf"), "");
                org.mha4j.bench.LoadWriter writer = org.mha4j.bench.LoadWriter.following("127.0.0.1",
                        sb.nodes().stream().map(n -> n.port()).toList(), org.mha4j.sandbox.Sandbox.ADMIN_USER, sb.adminPassword(), clients);
                List<Long> blocked = new ArrayList<>();
                for (int i = 1; i <= runs; i++) {
                    Thread.sleep(1000);
                    int target = i % 2 == 1 ? 2 : 1;
                    org.mha4j.switchover.OnlineSwitch.Result r = org.mha4j.switchover.OnlineSwitch.run(
                            org.mha4j.config.ConfigLoader.load(sb.configFile(), global),
                            new org.mha4j.switchover.SwitchOptions(java.util.Optional.of("127.0.0.1"), java.util.Optional.of(sb.node(target).port()),
                                    true, 1, 10, 30, false, false, java.time.Duration.ofSeconds(60),
                                    org.mha4j.switchover.SwitchOptions.DEFAULT_WRITE_BLOCK_LIMIT));
                    if (r.exitCode() != 0) {
                        System.out.println("switch " + i + " failed (exit " + r.exitCode() + ")");
                        writer.close();
                        return 1;
                    }
                    blocked.add(r.writesBlockedMs());
                    System.out.printf("switch %d to node%d: writes blocked %d ms, acknowledged so far %d%n", i, target, r.writesBlockedMs(), writer.acknowledged());
                }
                writer.close();
                int lost;
                try (java.sql.Connection c = sb.connect(runs % 2 == 1 ? 2 : 1)) {
                    lost = writer.missingOn(c).size();
                }
                System.out.printf("median write block over %d switches: %s ms; acknowledged %d, lost %d%n", runs,
                        FailoverBench.median(blocked), writer.acknowledged(), lost);
                return lost == 0 ? 0 : 1;
            }
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = {"One mha serve (a separate process) watching more and more real clusters (added by SIGHUP): at each step",
                    "its resident memory, CPU while idle and the master checks' latency; a linear fit per server, extrapolated to",
                    "1000 servers; then a kill -9 of one master among them all and how long until its new master is watched."})
    static final class Scale implements Callable<Integer> {
        @Option(names = "--servers", converter = Numbers.Positive.class, defaultValue = "90", description = "Servers in all (default ${DEFAULT-VALUE}).")
        int servers;
        @Option(names = "--per-cluster", converter = Numbers.Nodes.class, defaultValue = "3", description = "Servers per cluster/application (default ${DEFAULT-VALUE}).")
        int perCluster;
        @Option(names = "--steps", converter = Numbers.Positive.class, defaultValue = "3", description = "Measurements, at evenly spaced fleet sizes (default ${DEFAULT-VALUE}).")
        int steps;
        @Option(names = "--idle-seconds", converter = Numbers.Positive.class, defaultValue = "30", description = "Length of each measurement (default ${DEFAULT-VALUE}).")
        int idleSeconds;
        @Option(names = "--state-interval", converter = Numbers.Positive.class, defaultValue = "10", description = "mha serve --state-interval (default ${DEFAULT-VALUE}, as mha serve's).")
        int stateInterval;
        @Option(names = "--jvm-options", defaultValue = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m -Xmx128m -Xmn16m -XX:ReservedCodeCacheSize=32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30",
                description = "JVM options of the serve process (default: bin/mha's with packaging/mha-serve.service's: ${DEFAULT-VALUE}).")
        String jvmOptions;
        @Option(names = "--dir", defaultValue = "./bench-scale", description = "Work directory (default ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            int clusters = Math.max(1, servers / perCluster);
            List<String> jvm = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
            List<org.mha4j.bench.ScaleBench.Point> points = new org.mha4j.bench.ScaleBench(new org.mha4j.bench.ScaleBench.Options(clusters,
                    perCluster, Math.min(steps, clusters), java.time.Duration.ofSeconds(idleSeconds), dir, jvm, stateInterval)).run();
            double[] rss = org.mha4j.bench.ScaleBench.fit(points.stream().map(p -> new double[]{p.servers(), p.rssKb() / 1024.0}).toList());
            double[] cpu = org.mha4j.bench.ScaleBench.fit(points.stream().map(p -> new double[]{p.servers(), p.cpuPercent()}).toList());
            System.out.printf(java.util.Locale.ROOT, "RSS = %.1f MB + %.3f MB per server -> %.0f MB at 1000 servers%n", rss[0], rss[1], rss[0] + 1000 * rss[1]);
            System.out.printf(java.util.Locale.ROOT, "CPU = %.2f %% + %.4f %% per server -> %.1f %% of one core at 1000 servers%n", cpu[0], cpu[1],
                    cpu[0] + 1000 * cpu[1]);
            return 0;
        }
    }
}
