package org.mha4j.cli;

import org.mha4j.logging.ManagerLog;
import org.mha4j.options.Numbers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.config.AppConfig;
import org.mha4j.failover.FailoverOptions;
import org.mha4j.manager.Manager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "masterha_manager", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Monitors the master and fails over automatically when it dies (GTID or file/position, MariaDB and MySQL).",
                "Unlike MHA it keeps monitoring the new master afterwards; --exit_after_failover restores MHA's exit.",
                "Exit codes: 0 stopped or failover done, 10 failover done but a replica was not recovered, 1 error."})
public final class ManagerCommand implements Callable<Integer> {
    @Mixin
    ConfOptions conf;
    @Mixin
    FailoverOptionsMixin failover;
    @Option(names = {"--remove_dead_master_conf", "--remove_orig_master_conf"}, description = "After a successful failover, delete the dead master's block from the config (atomic, comments kept).")
    boolean removeDeadMasterConf;
    @Option(names = "--ignore_last_failover", description = "Delete the failover.complete/.error flag files before checking them.")
    boolean ignoreLastFailover;
    @Option(names = "--last_failover_minute", converter = Numbers.NonNegative.class, defaultValue = "" + Manager.Options.LAST_FAILOVER_MINUTE, paramLabel = "N", description = "Refuse a failover within N minutes of the last (default ${DEFAULT-VALUE}).")
    int lastFailoverMinute;
    @Option(names = "--ignore_fail_on_start", description = "Start even if servers with ignore_fail=1 are down.")
    boolean ignoreFailOnStart;
    @Option(names = "--wait_on_monitor_error", converter = Numbers.NonNegative.class, defaultValue = "0", paramLabel = "N", description = "Seconds to keep CONFIG_ERROR visible before exiting.")
    int waitOnMonitorError;
    @Option(names = "--wait_on_failover_error", converter = Numbers.NonNegative.class, defaultValue = "0", paramLabel = "N", description = "Seconds to keep FAILOVER_ERROR visible before exiting.")
    int waitOnFailoverError;
    @Option(names = {"--skip_ssh_check", "--skip_check_ssh"}, description = "Accepted for MHA compatibility (no all-pairs SSH check is run at start).")
    boolean skipSshCheck;
    @Option(names = "--exit_after_failover", description = "Exit after one failover, as MHA does.")
    boolean exitAfterFailover;
    @Option(names = "--gtid_wait_seconds", converter = Numbers.Positive.class, defaultValue = "" + Manager.Options.GTID_WAIT_SECONDS, paramLabel = "N", description = "Bound of each wait for a server to apply transactions (MHA waits for ever).")
    int gtidWaitSeconds;
    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        AppConfig app = conf.load(unmatched);
        Optional<String> bad = failover.problem(app);
        if (bad.isPresent()) {
            System.err.println(bad.get());
            return 1;
        }
        app.first().managerLog().ifPresent(f -> ManagerLog.attach(f, app.first().logLevel()));
        AtomicBoolean stop = new AtomicBoolean();
        // SIGTERM (masterha_stop): let the loop finish its step and remove the status file. Waiting on a latch, not
        // on the main thread, because main itself ends in System.exit, which blocks while hooks run.
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            org.mha4j.monitor.Pause.stop(stop);
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }));
        try {
            return manager(stop);
        } finally {
            finished.countDown();
        }
    }

    private int manager(AtomicBoolean stop) {
        return new Manager(new Manager.Options(conf.conf, conf.globalConf, removeDeadMasterConf, ignoreLastFailover,
                lastFailoverMinute, ignoreFailOnStart, waitOnMonitorError, waitOnFailoverError, exitAfterFailover,
                failover.options(),
                Duration.ofSeconds(gtidWaitSeconds)), stop).run();
    }
}
