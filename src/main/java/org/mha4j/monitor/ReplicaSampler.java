package org.mha4j.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.Heartbeat;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each replica sees the master: its IO thread, what it has read and how many heartbeats it received, on a connection
 * kept per replica. It remembers, per replica, the first sample in which the replica looked as it does now: a replica
 * connected to the master whose counters have not moved since then has received nothing since then, which is what tells
 * a hung master's silence from a quiet master's heartbeats ({@link DeathVerdict#view}).
 */
final class ReplicaSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** A replica that takes longer to answer SHOW SLAVE STATUS is taken as not answering. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    private final ServerConfig master;
    private final List<Watched> replicas = new ArrayList<>();
    private final MonitorEvents events;

    /**
     * @param connectTimeout the bound of a connect to a replica (the monitor's check timeout)
     * @param events         told each replica's status as sampled (mha serve shows it)
     */
    ReplicaSampler(ServerConfig master, List<ServerConfig> replicas, Duration connectTimeout, MonitorEvents events) {
        this.master = master;
        this.events = events;
        for (ServerConfig r : replicas) this.replicas.add(new Watched(r, connectTimeout));
    }

    /**
     * Starts a sample of every replica not still busy with the previous one (a replica that hangs costs no more than its
     * own bound, and never holds up the master's checks). The future completes when they are all in.
     */
    CompletableFuture<Void> startRound() {
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (Watched w : replicas) w.start().ifPresent(started::add);
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    /** Waits for a round until {@code deadlineNanos} at most; whatever is not in by then goes on in the background. */
    static void await(CompletableFuture<Void> round, long deadlineNanos) {
        try {
            round.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // a slow replica's sample lands later, a failed one is recorded as not answering
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One look at a replica.
     *
     * @param before the first sample of the state the replica was in before this look: when {@code now} is in the same
     *               state, nothing came since {@code before}; when not, something came
     */
    record Look(Optional<DeathVerdict.ReplicaSample> before, DeathVerdict.ReplicaSample now) {
        /** @param minSilenceMs the shortest silence that counts (see {@link DeathVerdict#view}) */
        DeathVerdict.ReplicaView view(long minSilenceMs) {
            return DeathVerdict.view(before, now, minSilenceMs);
        }

        long moreTimeNeeded(long minSilenceMs) {
            return DeathVerdict.moreTimeNeeded(before, now, minSilenceMs);
        }
    }

    /** A fresh look at every replica (waiting for one still in progress first), in parallel. */
    List<Look> lookNow() {
        // every look is started (the first toList) before the first is waited for
        return replicas.stream().map(Watched::fresh).toList().stream().map(CompletableFuture::join).toList();
    }

    @Override
    public void close() {
        replicas.forEach(Watched::close);
    }

    /**
     * Where the state of {@code now} began: {@code first} (the previous answer to this) while nothing moved, else now.
     * Nothing moved means the same answer, connection, read position and heartbeat count: a replica still connected
     * whose counters stand has received nothing in between.
     */
    static DeathVerdict.ReplicaSample since(DeathVerdict.ReplicaSample first, DeathVerdict.ReplicaSample now) {
        return first != null && sameState(first, now) ? first : now;
    }

    private static boolean sameState(DeathVerdict.ReplicaSample a, DeathVerdict.ReplicaSample b) {
        return a.answered() == b.answered() && a.connectedToMaster() == b.connectedToMaster() && a.readPosition().equals(b.readPosition())
                && a.heartbeat().map(Heartbeat::received).equals(b.heartbeat().map(Heartbeat::received));
    }

    /** One replica: its kept connection, the sample in progress (at most one), and where its current state began. */
    private final class Watched {
        final ServerConfig config;
        final String label;
        final Duration connectTimeout;
        Connection kept;
        /** The kept connection's server's dialect, read once per connection (one query less per sample). */
        Dialect dialect;
        CompletableFuture<Look> inProgress = CompletableFuture.completedFuture(null);
        volatile DeathVerdict.ReplicaSample since;

        Watched(ServerConfig config, Duration connectTimeout) {
            this.config = config;
            this.label = ServerLabels.label(config);
            this.connectTimeout = connectTimeout;
        }

        synchronized Optional<CompletableFuture<Look>> start() {
            return inProgress.isDone() ? Optional.of(launch()) : Optional.empty();
        }

        /** A new sample; the caller holds the lock and saw the previous one done. */
        private CompletableFuture<Look> launch() {
            inProgress = CompletableFuture.supplyAsync(this::sample, VIRTUAL);
            return inProgress;
        }

        CompletableFuture<Look> fresh() {
            CompletableFuture<Look> previous;
            synchronized (this) {
                previous = inProgress;
            }
            return previous.handle((x, e) -> null).thenCompose(x -> {
                synchronized (this) {
                    return inProgress.isDone() ? launch() : inProgress;
                }
            });
        }

        /** Runs on one thread at a time per replica (see {@link #start}), so the kept connection is never shared. */
        private Look sample() {
            long at = System.nanoTime() / 1_000_000;
            DeathVerdict.ReplicaSample s;
            try {
                if (kept == null || kept.isClosed()) {
                    kept = Db.connect(config, connectTimeout, QUERY_TIMEOUT);
                    dialect = Dialect.of(kept);
                }
                Dialect.ReplicaSample sampled = dialect.sampleReplica(kept);
                Optional<ReplicaStatus> rs = sampled.status();
                boolean connected = rs.filter(ReplicaStatus::ioRunning).filter(x -> x.pointsAt(master)).isPresent();
                String read = rs.map(x -> x.masterLogFile() + ":" + x.readMasterLogPos()).orElse("");
                s = new DeathVerdict.ReplicaSample(label, true, connected, read, sampled.heartbeat(), at);
                events.replicaSampled(config, rs, null);
            } catch (SQLException e) {
                log.debug("cannot ask {} about the master: {}", label, e.getMessage());
                close();
                s = DeathVerdict.ReplicaSample.unreachable(label, at);
                events.replicaSampled(config, Optional.empty(), e.getMessage());
            }
            Optional<DeathVerdict.ReplicaSample> before = Optional.ofNullable(since);
            since = since(since, s);
            return new Look(before, s);
        }

        void close() {
            if (kept == null) return;
            try {
                kept.close();
            } catch (SQLException ignored) {
                // thrown away
            }
            kept = null;
            dialect = null;
        }
    }

}
