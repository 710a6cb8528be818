package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mha4j.config.AppConfig;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.NeedsRejoin;
import org.mha4j.monitor.StatusFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "masterha_check_status", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Says whether the manager of an application runs, with MHA's lines and exit codes",
                "(0 PING_OK, 2 NOT_RUNNING, 10 INITIALIZING_MONITOR, 20 PING_FAILING, 21 PING_FAILED, 31 CONFIG_ERROR,",
                "32 TIMESTAMP_OLD, 50 FAILOVER_RUNNING, 51 FAILOVER_ERROR), and MHA4J's 60 NEEDS_REJOIN: the manager runs, but an",
                "old master answered again after a failover (it was made read-only) and must be rejoined; 40 STANDBY: the managers",
                "coordinate through ZooKeeper (coordination=) and another one leads; this one watches and takes over if the leader goes."})
public final class CheckStatusCommand implements Callable<Integer> {
    @Mixin
    ConfOptions conf;
    @Option(names = "--ping_limit", converter = Numbers.Positive.class, paramLabel = "N", description = "Seconds after which a PING_OK without fresh ping is TIMESTAMP_OLD (default: the larger of 10 and 3 x ping_interval).")
    Integer pingLimit;
    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        AppConfig app = conf.load(unmatched);
        String a = app.appName();
        StatusFile file = StatusFile.of(app);
        Optional<StatusFile.Content> c = file.ofRunningManager();
        if (c.isEmpty()) {
            System.out.println(a + " is stopped(2:NOT_RUNNING).");
            return ManagerStatus.NOT_RUNNING.code;
        }
        StatusFile.Content s = c.get();
        String pid = "(pid:" + s.pid() + ")";
        int limit = pingLimit != null ? pingLimit : Math.max(10, 3 * app.first().pingInterval());
        switch (s.status()) {
            case PING_OK, STANDBY -> {
                long age = Duration.between(s.modified(), Instant.now()).toSeconds();
                if (age > limit) {
                    System.out.println(file.path() + " behinds " + age + " seconds!");
                    System.out.println(a + " is running, but master_ping.health is too old(32:TIMESTAMP_OLD). Maybe process hangs? master:" + s.master());
                    return ManagerStatus.TIMESTAMP_OLD.code;
                }
                if (s.status() == ManagerStatus.STANDBY) {
                    System.out.println(a + " " + pid + " is running as a standby(40:STANDBY), master:" + s.master()
                            + " (another manager leads; see coordination= in the config)");
                    return ManagerStatus.STANDBY.code;
                }
                System.out.println(a + " " + pid + " is running(0:PING_OK), master:" + s.master());
                List<NeedsRejoin.Entry> rejoin = NeedsRejoin.of(app).entries();
                for (NeedsRejoin.Entry e : rejoin) {
                    System.out.println(a + " old master " + e.server() + " needs rejoin(60:NEEDS_REJOIN): " + e.message());
                }
                if (!rejoin.isEmpty()) return ManagerStatus.NEEDS_REJOIN.code;
            }
            case INITIALIZING_MONITOR -> System.out.println(a + " monitoring program is now on initialization phase(10:INITIALIZING_MONITOR). Wait for a while and try checking again.");
            case PING_FAILING -> System.out.println(a + " master maybe down(20:PING_FAILING). master:" + s.master());
            case PING_FAILED -> System.out.println(a + " master maybe down(21:PING_FAILED). master:" + s.master());
            case RETRYING_MONITOR -> System.out.println(a + " monitoring waits for retrying to monitor master again(30:RETRYING_MONITOR). Wait for a while and try checking again.");
            case CONFIG_ERROR -> System.out.println(a + " servers are not correctly configured(31:CONFIG_ERROR).");
            case FAILOVER_RUNNING -> System.out.println(a + " master is down and failover is running(50:FAILOVER_RUNNING). master:" + s.master());
            case FAILOVER_ERROR -> System.out.println(a + " master is down and failover was not successful(51:FAILOVER_ERROR). master:" + s.master());
            default -> System.out.println(a + " " + pid + " status " + s.status() + ", master:" + s.master());
        }
        return s.status().code;
    }
}
