package org.mha4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mha4j.bench.FailoverBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks on a local sandbox (figures, not pass/fail).",
        subcommands = {BenchCommand.Failover.class, BenchCommand.Switch.class})
public final class BenchCommand {

    @Command(name = "failover", mixinStandardHelpOptions = true,
            description = {"Fresh sandbox per trial, writers committing on the master, kill -9 of the master, the manager fails over.",
                    "Prints per trial: detection, each phase, failover total, client write outage, acknowledged and lost commits."})
    static final class Failover implements Callable<Integer> {
        @Option(names = "--trials", defaultValue = "3", description = "Trials (default ${DEFAULT-VALUE}).")
        int trials;
        @Option(names = "--nodes", defaultValue = "3", description = "Servers per sandbox (default ${DEFAULT-VALUE}).")
        int nodes;
        @Option(names = "--clients", defaultValue = "4", description = "Writer threads (default ${DEFAULT-VALUE}).")
        int clients;
        @Option(names = "--dir", defaultValue = "./bench-data", description = "Work directory (default ${DEFAULT-VALUE}).")
        Path dir;
        @Option(names = "--flavor", defaultValue = "mariadb", description = "mariadb or mysql-5.6 (default ${DEFAULT-VALUE}).")
        String flavor;

        @Override
        public Integer call() throws Exception {
            FailoverBench bench = new FailoverBench(dir.toAbsolutePath(), nodes, clients, org.mha4j.sandbox.SandboxFlavor.parse(flavor));
            List<FailoverBench.Trial> all = new ArrayList<>();
            for (int i = 1; i <= trials; i++) {
                FailoverBench.Trial t = bench.trial(i);
                all.add(t);
                StringBuilder phases = new StringBuilder();
                int p = 1;
                for (long ms : t.phaseMs().values()) phases.append(phases.isEmpty() ? "" : ", ").append("phase ").append(p++).append(' ').append(ms);
                System.out.printf("trial %d: detection %d ms, failover done %d ms after the kill (%s ms), writes blocked %d ms,"
                        + " acknowledged %d, lost %d, new master %s%n", i, t.detectionMs(), t.failoverMs(), phases,
                        t.writeOutageMs(), t.acknowledged(), t.lost(), t.newMaster());
            }
            System.out.printf("median of %d (ping_interval=1): detection %s ms, failover %s ms, writes blocked %s ms; lost in total: %d%n",
                    trials, FailoverBench.median(all.stream().map(FailoverBench.Trial::detectionMs).toList()),
                    FailoverBench.median(all.stream().map(FailoverBench.Trial::failoverMs).toList()),
                    FailoverBench.median(all.stream().map(FailoverBench.Trial::writeOutageMs).toList()),
                    all.stream().mapToInt(FailoverBench.Trial::lost).sum());
            return all.stream().anyMatch(t -> t.lost() > 0) ? 1 : 0;
        }
    }

    @Command(name = "switch", mixinStandardHelpOptions = true,
            description = "Online switches back and forth on one sandbox under writers that follow the master; prints the write-block time of each and the median.")
    static final class Switch implements Callable<Integer> {
        @Option(names = "--runs", defaultValue = "5", description = "Switches (default ${DEFAULT-VALUE}).")
        int runs;
        @Option(names = "--clients", defaultValue = "4", description = "Writer threads (default ${DEFAULT-VALUE}).")
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
                                    true, 1, 10, 30, false, false, java.time.Duration.ofSeconds(60)));
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
}
