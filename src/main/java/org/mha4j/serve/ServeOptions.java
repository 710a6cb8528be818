package org.mha4j.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How mha serve runs.
 *
 * @param confDir       every application config in it ({@code *.cnf}, {@code *.conf}, but the global one)
 * @param confs         application configs named one by one
 * @param globalConf    the global config; null: /etc/masterha_default.cnf when it exists, as every MHA command
 * @param host          the address the HTTP server binds (127.0.0.1 by default)
 * @param tokenFile     the file holding the token that requests which change something must present; none: they are refused
 * @param maxLagSeconds the most Seconds_Behind_Master a replica may have to pass {@code /health/<app>/replica}
 * @param stateInterval how often every server is looked at in full for the API and the metrics (the replicas' threads and
 *                      lag also come with the master's checks)
 * @param retryDelay    how long after its manager stopped (a failed start check, a failed failover) an application is tried again
 */
public record ServeOptions(Optional<Path> confDir, List<Path> confs, Path globalConf, String host, int port, Optional<Path> tokenFile,
                           long maxLagSeconds, Duration stateInterval, Duration retryDelay) {
    public ServeOptions {
        confs = List.copyOf(confs);
    }
}
