package org.mha4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mha4j.bench.FailoverBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks on a local sandbox (figures, not pass/fail).",
        subcommands = BenchCommand.Failover.class)
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

        @Override
        public Integer call() throws Exception {
            FailoverBench bench = new FailoverBench(dir.toAbsolutePath(), nodes, clients);
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
}
