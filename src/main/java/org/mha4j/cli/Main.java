package org.mha4j.cli;

import org.mha4j.sandbox.SandboxCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mha} command. The {@code masterha_*} names are the same commands registered under MHA's tool names,
 * so {@code bin/masterha_check_repl --conf=app1.conf} behaves like MHA's.
 */
@Command(name = "mha", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "MHA4J: master high availability for MySQL and MariaDB replication, MHA-compatible.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main {

    @Command(name = "check", description = "Health checks (same as masterha_check_repl / masterha_check_ssh).",
            mixinStandardHelpOptions = true)
    static final class Check {}

    @Command(name = "config", description = "Configuration tools.", mixinStandardHelpOptions = true)
    static final class Config {}

    @Command(name = "node", description = "MHA's Node tools, run on database hosts (also as save_binary_logs,"
            + " apply_diff_relay_logs, purge_relay_logs).", mixinStandardHelpOptions = true)
    static final class Node {}

    public static CommandLine commandLine() {
        CommandLine mha = new CommandLine(new Main());
        // A config that cannot be used is an answer for the operator (file:line and why), not a stack trace; so is
        // anything else a command could not do: one line, its reason, and the trace only at log_level=debug.
        mha.setExecutionExceptionHandler((ex, cl, parsed) -> {
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("mha");
            if (ex instanceof org.mha4j.config.ConfigException) {
                log.error("{}", ex.getMessage());
            } else {
                log.error("{} failed: {}", cl.getCommandName(), Problems.describe(ex));
                log.debug("details", ex);
            }
            return 1;
        });
        mha.addSubcommand("check", new CommandLine(new Check())
                .addSubcommand("repl", new CheckReplCommand())
                .addSubcommand("ssh", new CheckSshCommand()));
        mha.addSubcommand("config", new CommandLine(new Config())
                .addSubcommand("show", new ConfigShowCommand()));
        mha.addSubcommand("semisync", new SemiSyncCommand());
        mha.addSubcommand("sandbox", new SandboxCommand());
        mha.addSubcommand("bench", new BenchCommand());
        mha.addSubcommand("masterha_check_repl", hidden(new CommandLine(new CheckReplCommand()), "masterha_check_repl"));
        mha.addSubcommand("masterha_check_ssh", hidden(new CommandLine(new CheckSshCommand()), "masterha_check_ssh"));
        mha.addSubcommand("manager", new CommandLine(new ManagerCommand()).setCommandName("manager"));
        mha.addSubcommand("masterha_manager", hidden(new CommandLine(new ManagerCommand()), "masterha_manager"));
        mha.addSubcommand("masterha_check_status", hidden(new CommandLine(new CheckStatusCommand()), "masterha_check_status"));
        mha.addSubcommand("masterha_stop", hidden(new CommandLine(new StopCommand()), "masterha_stop"));
        mha.addSubcommand("masterha_master_switch", hidden(new CommandLine(new MasterSwitchCommand()), "masterha_master_switch"));
        mha.addSubcommand("masterha_conf_host", hidden(new CommandLine(new ConfHostCommand()), "masterha_conf_host"));
        mha.addSubcommand("masterha_master_monitor", hidden(new CommandLine(new MasterMonitorCommand()), "masterha_master_monitor"));
        mha.addSubcommand("masterha_secondary_check", hidden(new CommandLine(new SecondaryCheckCommand()), "masterha_secondary_check"));
        mha.addSubcommand("node", new CommandLine(new Node())
                .addSubcommand("save_binary_logs", new SaveBinaryLogsCommand())
                .addSubcommand("apply_diff_relay_logs", new ApplyDiffRelayLogsCommand())
                .addSubcommand("purge_relay_logs", new PurgeRelayLogsCommand()));
        mha.addSubcommand("save_binary_logs", hidden(new CommandLine(new SaveBinaryLogsCommand()), "save_binary_logs"));
        mha.addSubcommand("apply_diff_relay_logs", hidden(new CommandLine(new ApplyDiffRelayLogsCommand()), "apply_diff_relay_logs"));
        mha.addSubcommand("purge_relay_logs", hidden(new CommandLine(new PurgeRelayLogsCommand()), "purge_relay_logs"));
        mha.addSubcommand("switch", new CommandLine(new MasterSwitchCommand()).setCommandName("switch"));
        mha.addSubcommand("rejoin", new RejoinCommand());
        mha.addSubcommand("bootstrap", new BootstrapCommand());
        mha.addSubcommand("serve", new ServeCommand());
        // after every subcommand: picocli hands a converter only to the commands present when it is registered
        mha.registerConverter(java.nio.file.Path.class, Problems::path);
        return mha;
    }

    private static CommandLine hidden(CommandLine cl, String name) {
        cl.getCommandSpec().usageMessage().hidden(true);
        cl.setCommandName(name);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
