package org.mha4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.config.AppConfig;
import org.mha4j.monitor.MasterMonitor;
import org.mha4j.monitor.StatusFile;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.MasterResolver;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.Topology;
import org.mha4j.topology.TopologyDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

@Command(name = "masterha_master_monitor", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Monitors the master only, as MHA's: exits 20 with 'Master <host> is dead!' when it dies, 1 on errors.")
public final class MasterMonitorCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("mha");
    static final int MASTER_DEAD = 20;

    @Mixin
    ConfOptions conf;
    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        AppConfig app = conf.load(unmatched);
        Topology t = new TopologyDiscovery().discover(app);
        if (!(MasterResolver.resolve(t) instanceof MasterResolution.Resolved r) || !r.masterAlive()) {
            log.error("the current master cannot be determined or is not alive: run masterha_check_repl for the details");
            return 1;
        }
        AtomicBoolean stop = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> org.mha4j.monitor.Pause.stop(stop)));
        boolean semi = r.masterSnapshot().flatMap(s -> s.semiSync().masterActive()).orElse(false);
        MasterMonitor.Outcome out = new MasterMonitor(r.master(), r.replicas().stream().map(ServerSnapshot::config).toList(),
                StatusFile.of(app), stop, semi, true).watch();
        StatusFile.of(app).delete();
        if (out instanceof MasterMonitor.Outcome.Dead d) {
            System.out.println("Master " + d.master().hostname() + " is dead!");
            System.out.println("IP Address: " + d.master().ip() + " Port: " + d.master().port());
            return MASTER_DEAD;
        }
        return 0;
    }
}
