package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mha4j.config.AppConfig;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.StatusFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "masterha_stop", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Stops the manager of an application (SIGTERM; --abort: SIGKILL after --abort_timeout, even during a failover).")
public final class StopCommand implements Callable<Integer> {
    @Mixin
    ConfOptions conf;
    @Option(names = "--abort", description = "Kill the manager if it does not stop in time, even while a failover runs.")
    boolean abort;
    @Option(names = "--abort_timeout", converter = Numbers.NonNegative.class, defaultValue = "5", paramLabel = "N")
    int abortTimeout;
    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        AppConfig app = conf.load(unmatched);
        String a = app.appName();
        Optional<StatusFile.Content> c = StatusFile.of(app).ofRunningManager();
        Optional<ProcessHandle> p = c.flatMap(x -> ProcessHandle.of(x.pid()));
        if (p.isEmpty()) {
            System.out.println("MHA Manager is not running on " + a + "(2:NOT_RUNNING).");
            return 0;
        }
        if (c.get().status() == ManagerStatus.FAILOVER_RUNNING && !abort) {
            System.out.println("Currently Failover is running on " + a + ". Should not stop.");
            return 1;
        }
        p.get().destroy();
        if (waitExit(p.get(), abortTimeout)) {
            System.out.println("Stopped " + a + " successfully.");
            return 0;
        }
        if (abort) {
            p.get().destroyForcibly();
            if (waitExit(p.get(), 5)) {
                System.out.println("Forced stopped " + a + ".");
                return 0;
            }
        }
        System.out.println("Failed to stop " + a + ".");
        return 1;
    }

    private static boolean waitExit(ProcessHandle p, int seconds) {
        try {
            p.onExit().get(seconds, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return !p.isAlive();
        }
    }
}
