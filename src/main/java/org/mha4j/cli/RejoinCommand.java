package org.mha4j.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.options.Numbers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rejoin", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Makes an old master, back after a failover, a read-only replica of the current master (GTID), when it",
                "holds nothing the master lacks. Otherwise what only it holds is listed in an archive in manager_workdir and",
                "the rejoin is refused, with the ways on. Exit 0 rejoined or nothing to do, 1 refused."})
public final class RejoinCommand implements Callable<Integer> {
    @Mixin
    ConfOptions conf;
    @Option(names = "--host", required = true, paramLabel = "HOST", description = "The old master: its hostname or ip in the config.")
    String host;
    @Option(names = "--port", converter = Numbers.Port.class, paramLabel = "PORT", description = "Its port, when the host has several servers.")
    Integer port;
    @Option(names = "--dry-run", description = "Say what would be done, change nothing.")
    boolean dryRun;
    @Option(names = "--flashback", description = {"MariaDB, row-based: undo the transactions only the old master holds (they stay in",
            "the archive) with mariadb-binlog --flashback on its host, then rejoin it."})
    boolean flashback;

    @Override
    public Integer call() {
        AppConfig app = conf.load();
        Optional<ServerConfig> target = app.find(host, Optional.ofNullable(port));
        if (target.isEmpty()) {
            System.err.println("--host=" + Problems.shorten(host) + (port == null ? "" : " --port=" + port) + " is not a server of " + app.file());
            return 1;
        }
        return org.mha4j.rejoin.Rejoin.run(app, target.get(), dryRun, flashback);
    }
}
