package org.mha4j.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.options.Numbers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bootstrap", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Turns running servers that do not replicate yet into the seed's topology: checks their settings (the",
                "my.cnf lines to fix), refuses servers whose data differs, creates the replication account where missing",
                "(sql_log_bin=0), points the others at the master by GTID (read-only, the manager's heartbeat), enables",
                "semi-sync when semi_sync=on, then runs masterha_check_repl. Safe to run again; --dry-run prints every statement."})
public final class BootstrapCommand implements Callable<Integer> {
    @Mixin
    ConfOptions conf;
    @Option(names = "--master", paramLabel = "HOST", description = "The master-to-be (default: the first server of the config that may be master).")
    String master;
    @Option(names = "--master_port", converter = Numbers.Port.class, paramLabel = "PORT", description = "Its port, when the host has several servers.")
    Integer masterPort;
    @Option(names = "--dry-run", description = "Print the statements per server, change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        AppConfig app = conf.load();
        Optional<ServerConfig> m = master == null ? app.servers().stream().filter(s -> !s.noMaster()).findFirst()
                : app.find(master, Optional.ofNullable(masterPort));
        if (m.isEmpty()) {
            System.err.println(master == null ? "every server of " + app.file() + " has no_master=1: name the master with --master"
                    : "--master=" + Problems.shorten(master) + " is not a server of " + app.file());
            return 1;
        }
        return org.mha4j.bootstrap.Bootstrap.run(app, m.get(), dryRun);
    }
}
