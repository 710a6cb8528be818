package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.failover.FailoverOptions;
import org.mha4j.failover.FailoverRunner;
import org.mha4j.monitor.StatusFile;
import org.mha4j.switchover.OnlineSwitch;
import org.mha4j.switchover.SwitchOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "masterha_master_switch", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"--master_state=alive: planned online switch of the master role (writes blocked briefly, measured).",
                "--master_state=dead: manual failover of a dead master, the same phases as masterha_manager.",
                "Exit codes: 0 done, 10 done but some replica was not switched, 1 refused or failed."})
public final class MasterSwitchCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("mha");

    @Mixin
    ConfOptions conf;
    @Mixin
    FailoverOptionsMixin failover;
    @Option(names = "--master_state", required = true, paramLabel = "alive|dead")
    String masterState;
    @Option(names = "--orig_master_is_new_slave", description = "alive: the old master replicates from the new one afterwards.")
    boolean origMasterIsNewSlave;
    @Option(names = "--running_updates_limit", converter = Numbers.NonNegative.class, defaultValue = "" + SwitchOptions.RUNNING_UPDATES_LIMIT, paramLabel = "N")
    int runningUpdatesLimit;
    @Option(names = "--running_seconds_limit", converter = Numbers.NonNegative.class, defaultValue = "" + SwitchOptions.RUNNING_SECONDS_LIMIT, paramLabel = "N")
    int runningSecondsLimit;
    @Option(names = "--seconds_behind_master", converter = Numbers.NonNegative.class, defaultValue = "" + SwitchOptions.SECONDS_BEHIND_MASTER, paramLabel = "N")
    int secondsBehindMaster;
    @Option(names = "--check_only", description = "alive: run the checks only.")
    boolean checkOnly;
    @Option(names = {"--remove_orig_master_conf", "--remove_dead_master_conf"})
    boolean removeOrigMasterConf;
    @Option(names = "--dead_master_host", paramLabel = "HOST")
    String deadMasterHost;
    @Option(names = "--dead_master_ip", paramLabel = "IP")
    String deadMasterIp;
    @Option(names = "--dead_master_port", converter = Numbers.Port.class, defaultValue = "3306", paramLabel = "PORT")
    int deadMasterPort;
    @Option(names = "--interactive", converter = Numbers.ZeroOrOne.class, defaultValue = "1", paramLabel = "0|1", description = "Ask before switching or failing over (default 1, as MHA); 0 never asks.")
    int interactive;
    @Option(names = "--ignore_last_failover")
    boolean ignoreLastFailover;
    @Option(names = "--last_failover_minute", converter = Numbers.NonNegative.class, defaultValue = "480", paramLabel = "N")
    int lastFailoverMinute;
    @Option(names = "--write_block_seconds", converter = Numbers.Positive.class, defaultValue = "10", paramLabel = "N",
            description = "alive: the longest writes stay blocked while the new master applies the old master's last transactions; then the switch rolls back (default ${DEFAULT-VALUE}).")
    int writeBlockSeconds;
    @Option(names = "--gtid_wait_seconds", converter = Numbers.Positive.class, defaultValue = "600", paramLabel = "N")
    int gtidWaitSeconds;
    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        AppConfig app = conf.load(unmatched);
        Optional<String> bad = failover.problem(app);
        if (bad.isEmpty() && "alive".equals(masterState) && deadMasterHost != null) {
            bad = Optional.of("--dead_master_host is for --master_state=dead; an online switch (--master_state=alive) has a live master");
        }
        if (bad.isPresent()) {
            System.err.println(bad.get());
            return 1;
        }
        return switch (masterState) {
            case "alive" -> alive(app);
            case "dead" -> dead(app);
            default -> {
                System.err.println("--master_state must be alive or dead, not " + masterState);
                yield 1;
            }
        };
    }

    private int alive(AppConfig app) {
        if (StatusFile.of(app).ofRunningManager().isPresent()) {
            log.error("masterha_manager runs for {}: stop it (masterha_stop) before an online switch, and start it again afterwards.", app.appName());
            return 1;
        }
        if (managersElsewhere(app)) return 1;
        OnlineSwitch.Result r = OnlineSwitch.run(app, new SwitchOptions(Optional.ofNullable(failover.newMasterHost), Optional.ofNullable(failover.newMasterPort),
                origMasterIsNewSlave, runningUpdatesLimit, runningSecondsLimit, secondsBehindMaster, checkOnly, removeOrigMasterConf,
                Duration.ofSeconds(gtidWaitSeconds), Duration.ofSeconds(writeBlockSeconds)),
                question -> interactive == 0 || confirm(question));
        return r.exitCode();
    }

    private int dead(AppConfig app) {
        if (deadMasterHost == null) {
            System.err.println("--dead_master_host is required with --master_state=dead");
            return 1;
        }
        Optional<ServerConfig> dead = app.find(deadMasterIp != null ? deadMasterIp : deadMasterHost, deadMasterPort)
                .or(() -> app.find(deadMasterHost, deadMasterPort));
        if (dead.isEmpty()) {
            log.error("{}:{} is not a server of {}", deadMasterHost, deadMasterPort, app.file());
            return 1;
        }
        // A running manager fails over by itself: a second failover of the same master at once would re-point replicas
        // twice and could promote two masters. Its status file is its own, too.
        Optional<StatusFile.Content> manager = StatusFile.of(app).ofRunningManager();
        if (manager.isPresent()) {
            log.error("masterha_manager runs for {} (pid {}, {}): it fails the master over by itself. Stop it (masterha_stop) before a"
                    + " manual failover; nothing changed.", app.appName(), manager.get().pid(), manager.get().status());
            return 1;
        }
        if (managersElsewhere(app)) return 1;
        if (interactive != 0 && !confirm("Master " + dead.get().id() + " is dead. Proceed? (yes/NO): ")) {
            log.info("Not confirmed; nothing changed.");
            return 1;
        }
        FailoverRunner.Result r = FailoverRunner.run(app, dead.get(), new FailoverRunner.Settings(ignoreLastFailover,
                Duration.ofMinutes(lastFailoverMinute), removeOrigMasterConf, false,
                failover.options(),
                Duration.ofSeconds(gtidWaitSeconds)), StatusFile.of(app));
        StatusFile.of(app).delete();
        return r.exitCode();
    }

    /**
     * With coordination, the managers on other hosts: as with a manager on this host, a switch or failover by hand while
     * they watch would be a second actor on the same servers. ZooKeeper not answering is the case this command is for
     * (its managers cannot act either): it goes on, and says so.
     */
    private static boolean managersElsewhere(AppConfig app) {
        Optional<java.util.List<String>> managers = org.mha4j.coordination.Leadership.managersOf(app);
        if (managers.isEmpty()) {
            log.warn("coordination is set but ZooKeeper ({}) does not answer: no manager can lead {} now; going on by hand.",
                    app.first().coordination().orElse(""), app.appName());
            return false;
        }
        if (managers.get().isEmpty()) return false;
        log.error("Managers watch {} through ZooKeeper ({}): stop them (masterha_stop on each host) before a switch or failover by hand,"
                + " and start them again afterwards; nothing changed.", app.appName(), String.join(", ", managers.get()));
        return true;
    }

    private static boolean confirm(String question) {
        System.out.print(question);
        System.out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.strip().equalsIgnoreCase("yes");
        } catch (IOException e) {
            return false;
        }
    }
}
