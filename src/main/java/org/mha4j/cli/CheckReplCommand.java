package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.util.List;
import java.util.concurrent.Callable;
import org.mha4j.check.CheckOptions;
import org.mha4j.check.CheckRepl;
import org.mha4j.check.CheckReport;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "repl", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Checks MySQL/MariaDB replication health as MHA's masterha_check_repl does, and more:",
                "reachability, master identification, read_only replicas, replication threads and lag,",
                "log-bin/log_slave_updates, duplicate server_id, filters, GTID modes, errant transactions,",
                "the replication account on every candidate master, and the hook scripts' status.",
                "Prints 'MySQL Replication Health is OK.' and exits 0, or 'MySQL Replication Health is NOT OK!' and exits 1."})
public final class CheckReplCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("mha");

    @Mixin
    ConfOptions conf;

    @Option(names = "--seconds_behind_master", converter = Numbers.NonNegative.class, defaultValue = "30", paramLabel = "N",
            description = "Replication lag above N seconds is an error (default: ${DEFAULT-VALUE}).")
    int secondsBehindMaster;

    @Option(names = "--ignore_fail_on_start", description = "Servers with ignore_fail=1 may be down.")
    boolean ignoreFailOnStart;

    @Option(names = {"--skip_ssh_check", "--skip_check_ssh"},
            description = "Accepted for MHA compatibility; GTID checks do not use SSH (run masterha_check_ssh).")
    boolean skipSshCheck;

    @Option(names = "--min_replicas", converter = Numbers.Positive.class, defaultValue = "1", paramLabel = "N",
            description = "Alive replicas required (default: ${DEFAULT-VALUE}, as MHA; one alone is a warning, 2 makes it an error, as the seed advises).")
    int minReplicas;

    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        try {
            AppConfig app = conf.load(unmatched);
            CheckReport report = CheckRepl.run(app, new CheckOptions(secondsBehindMaster, ignoreFailOnStart, minReplicas));
            System.out.println();
            System.out.println(report.healthy() ? CheckRepl.OK_LINE : CheckRepl.NOT_OK_LINE);
            return report.healthy() ? 0 : 1;
        } catch (ConfigException e) {
            log.error("{}", e.getMessage());
            System.out.println();
            System.out.println(CheckRepl.NOT_OK_LINE);
            return 1;
        }
    }
}
