package org.mha4j.serve;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.ConnectFailure;
import org.mha4j.topology.Db;
import org.mha4j.topology.InspectionException;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.SemiSyncState;
import org.mha4j.topology.ServerInspector;
import org.mha4j.topology.ServerSnapshot;

/**
 * Looks at every server of one application, each on one kept connection: the state the API, the dashboard, the metrics
 * and the replica health checks show. Separate from the master's checks, which decide failovers and are never held up
 * by it: a look that hangs costs only its own server's view (bounded by the connect and query timeouts).
 */
final class ServerPoller implements AutoCloseable {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final Map<ServerConfig, Kept> servers = new LinkedHashMap<>();

    ServerPoller(List<ServerConfig> configs) {
        for (ServerConfig c : configs) servers.put(c, new Kept(c, configs));
    }

    /**
     * A look at every server at once: the views of those looked at. A server whose previous look still runs is left
     * out, so that its holder keeps what it has (perhaps fresher: the monitor's samples refresh replicas meanwhile).
     */
    List<ServerView> poll(String watchedMaster) {
        List<CompletableFuture<Optional<ServerView>>> looks = new ArrayList<>();
        for (Kept k : servers.values()) looks.add(CompletableFuture.supplyAsync(() -> k.look(watchedMaster), r -> Thread.ofVirtual().start(r)));
        return looks.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
    }

    @Override
    public void close() {
        servers.values().forEach(Kept::close);
    }

    /** One server's kept connection; one look at a time. */
    private static final class Kept {
        final ServerConfig config;
        final List<ServerConfig> all;
        final ReentrantLock busy = new ReentrantLock();
        Connection conn;

        Kept(ServerConfig config, List<ServerConfig> all) {
            this.config = config;
            this.all = all;
        }

        /** Empty while the previous look still runs. */
        Optional<ServerView> look(String watchedMaster) {
            if (!busy.tryLock()) return Optional.empty();
            try {
                Instant at = Instant.now();
                try {
                    if (conn == null || conn.isClosed()) conn = Db.connect(config, Db.DEFAULT_CONNECT_TIMEOUT, QUERY_TIMEOUT);
                    return Optional.of(view(ServerInspector.inspect(conn, config), watchedMaster, at, all));
                } catch (SQLException e) {
                    close();
                    return Optional.of(down(config, ConnectFailure.of(e).reason(), at));
                } catch (InspectionException e) {
                    return Optional.of(notUp(config.block(), config.hostname(), config.port(), "unreadable", null, e.getMessage(), at));
                }
            } finally {
                busy.unlock();
            }
        }

        void close() {
            if (conn == null) return;
            try {
                conn.close();
            } catch (SQLException ignored) {
                // thrown away
            }
            conn = null;
        }
    }

    static ServerView down(ServerConfig c, String why, Instant at) {
        return notUp(c.block(), c.hostname(), c.port(), "down", null, why, at);
    }

    /** A server not read now ({@code down} or {@code unreadable}): only what is known of it before, and why. */
    private static ServerView notUp(String name, String host, int port, String state, String version, String error, Instant at) {
        return new ServerView(name, host, port, "unknown", state, null, null, null, null, null, null, null, null, version, error, at.toString());
    }

    /**
     * @param watchedMaster the master the manager watches ({@code hostname:port} of its config), or null
     * @param servers       the application's servers: a replica's Master_Host (a hostname or an ip, as written by
     *                      whoever pointed it there) is shown as the configured server's {@code hostname:port}
     */
    static ServerView view(ServerSnapshot s, String watchedMaster, Instant at, List<ServerConfig> servers) {
        ServerConfig c = s.config();
        String hostPort = c.id();
        ReplicaStatus rs = s.replica().orElse(null);
        String role = rs != null ? "replica" : hostPort.equals(watchedMaster) || !s.readOnly() ? "master" : "unknown";
        String error = rs == null ? null : replicationError(rs);
        SemiSyncState ss = s.semiSync();
        return new ServerView(c.block(), c.hostname(), c.port(), role, "up", s.readOnly(),
                rs == null ? null : masterOf(rs, servers),
                rs == null ? null : rs.ioThread().toString(), rs == null ? null : rs.sqlRunning(),
                rs == null || rs.secondsBehind().isEmpty() ? null : rs.secondsBehind().getAsLong(),
                String.valueOf(s.gtid().executed()), semiSync(ss, rs != null),
                ss.noTx().isPresent() && rs == null ? ss.noTx().getAsLong() : null, s.version().display(), error, at.toString());
    }

    /**
     * {@code last} with what the monitor just sampled of this replica (every second under detection=fast): its threads,
     * lag and master are then as fresh as the master's checks, whatever the state interval.
     *
     * @param error why it could not be asked; null when it answered
     */
    static ServerView sampled(ServerView last, Optional<ReplicaStatus> status, String error, List<ServerConfig> servers, Instant at) {
        if (error != null) return notUp(last.name(), last.host(), last.port(), "down", last.version(), error, at);
        if (status.isEmpty()) return last;  // no replica now: the next full look says what it is
        ReplicaStatus rs = status.get();
        return new ServerView(last.name(), last.host(), last.port(), "replica", "up", last.readOnly(), masterOf(rs, servers),
                rs.ioThread().toString(), rs.sqlRunning(), rs.secondsBehind().isEmpty() ? null : rs.secondsBehind().getAsLong(),
                last.gtidExecuted(), last.semiSync(), null, last.version(), replicationError(rs), at.toString());
    }

    /** A replica's Master_Host (a hostname or an ip) as the configured server it names, {@code hostname:port}. */
    private static String masterOf(ReplicaStatus rs, List<ServerConfig> servers) {
        return servers.stream().filter(rs::pointsAt).findFirst().map(ServerConfig::id)
                .orElse(rs.masterHost() + ":" + rs.masterPort());
    }

    private static String replicationError(ReplicaStatus rs) {
        return rs.lastIoErrno() != 0 ? rs.lastIoError() : rs.lastSqlErrno() != 0 ? rs.lastSqlError() : null;
    }

    private static String semiSync(SemiSyncState ss, boolean replica) {
        if (!ss.available()) return "unavailable";
        if (replica) return !ss.replicaEnabled() ? "disabled" : ss.replicaActive().orElse(false) ? "on" : "off";
        return !ss.masterEnabled() ? "disabled" : ss.masterActive().orElse(false) ? "on" : "off";
    }
}
