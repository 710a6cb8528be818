package org.mha4j.topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects to every configured server at once and takes its snapshot. */
public final class TopologyDiscovery {
    private static final Logger log = LoggerFactory.getLogger(TopologyDiscovery.class);

    private final Duration connectTimeout;
    private final Duration queryTimeout;
    private final Optional<java.time.Clock> managerClock;

    /**
     * @param managerClock the clock the servers' clocks are read next to, where they are checked (masterha_check_repl, the
     *                     manager's start; the manager's own clock unless a test shifts it); empty: not read
     */
    private TopologyDiscovery(Duration connectTimeout, Duration queryTimeout, Optional<java.time.Clock> managerClock) {
        this.connectTimeout = connectTimeout;
        this.queryTimeout = queryTimeout;
        this.managerClock = managerClock;
    }

    public TopologyDiscovery() {
        this(Db.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(10), Optional.empty());
    }

    /** Also reads every server's clock next to {@code managerClock}, for the clock check. */
    public TopologyDiscovery(java.time.Clock managerClock) {
        this(Db.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(10), Optional.of(managerClock));
    }

    public Topology discover(AppConfig app) {
        return discover(app, java.util.Map.of());
    }

    /**
     * @param known servers already probed (a dead master just seen not to answer): not asked again, which against a
     *              hung server would cost another connect timeout
     */
    public Topology discover(AppConfig app, java.util.Map<ServerConfig, ServerProbe> known) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ServerProbe>> futures = app.servers().stream()
                    .map(s -> known.containsKey(s) ? java.util.concurrent.CompletableFuture.completedFuture(known.get(s)) : pool.submit(() -> probe(s)))
                    .toList();
            List<ServerProbe> probes = futures.stream().map(TopologyDiscovery::join).toList();
            return new Topology(app, probes);
        }
    }

    public ServerProbe probe(ServerConfig server) {
        try (Connection c = Db.connect(server, connectTimeout, queryTimeout)) {
            ServerSnapshot s = ServerInspector.inspect(c, server, managerClock);
            log.debug("{}: {} server_id={} read_only={}", s.label(), s.version().display(), s.serverId(), s.readOnly());
            return new ServerProbe.Alive(s);
        } catch (SQLException e) {
            return new ServerProbe.Unreachable(server, ConnectFailure.of(e));
        } catch (InspectionException e) {
            return new ServerProbe.Unreadable(server, e.getMessage());
        }
    }

    private static ServerProbe join(Future<ServerProbe> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while discovering the topology", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("topology discovery failed: " + e.getCause(), e.getCause());
        }
    }
}
