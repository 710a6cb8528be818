package org.mha4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mha4j.options.Numbers;
import org.mha4j.serve.Serve;
import org.mha4j.serve.ServeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Watches every application of a config directory in one process: for each, the monitor and failover of",
                "masterha_manager (same checks, phases, status file, manager_log and failover record), plus an HTTP API,",
                "Prometheus /metrics, load-balancer health checks (/health/<app>/master/<server>) and a web dashboard.",
                "SIGHUP (or POST /api/reload) reads the configs again. docs/api.md describes the API."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--conf-dir", paramLabel = "DIR", description = "Watch every application config (*.cnf, *.conf) in DIR, the global one excepted.")
    Path confDir;
    @Option(names = "--conf", paramLabel = "FILE", description = "Watch this application config (repeatable).")
    List<Path> confs = new ArrayList<>();
    @Option(names = "--global_conf", paramLabel = "FILE", description = "Global defaults file (default: /etc/masterha_default.cnf, optional).")
    Path globalConf;
    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8484",
            description = "Address of the HTTP server (default ${DEFAULT-VALUE}; port 0 picks a free one).")
    String listen;
    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File (mode 600) with the token that requests changing something must send as 'Authorization: Bearer <token>'.")
    Path tokenFile;
    @Option(names = "--max-lag", converter = Numbers.NonNegative.class, defaultValue = "30", paramLabel = "SECONDS",
            description = "Most replication lag for /health/<app>/replica/<server> to pass (default ${DEFAULT-VALUE}).")
    int maxLag;
    @Option(names = "--state-interval", converter = Numbers.Positive.class, defaultValue = "10", paramLabel = "SECONDS",
            description = {"How often every server is looked at in full (read_only, GTID, semi-sync) for the API and metrics (default ${DEFAULT-VALUE});",
                    "the replicas' threads and lag come with the master's checks, every ping_interval (detection=fast)."})
    int stateInterval;
    @Option(names = "--retry-seconds", converter = Numbers.Positive.class, defaultValue = "30", paramLabel = "SECONDS",
            description = "How long after its manager stopped (failed start check or failover) an application is tried again (default ${DEFAULT-VALUE}).")
    int retrySeconds;

    @Override
    public Integer call() throws Exception {
        if (confDir == null && confs.isEmpty()) {
            System.err.println("mha serve needs --conf-dir DIR or --conf FILE (repeatable).");
            return 1;
        }
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
            if (colon <= 0 || port < 0 || port > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            System.err.println("--listen must be HOST:PORT (for example 127.0.0.1:8484), not " + listen);
            return 1;
        }
        ServeOptions o = new ServeOptions(Optional.ofNullable(confDir), confs, globalConf,
                listen.substring(0, colon), port, Optional.ofNullable(tokenFile), maxLag, Duration.ofSeconds(stateInterval),
                Duration.ofSeconds(retrySeconds));
        Serve serve;
        try {
            serve = Serve.start(o);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                closed.await();
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }));
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().start(serve::reload));
        stopped.await();
        serve.close();
        closed.countDown();
        return 0;
    }
}
