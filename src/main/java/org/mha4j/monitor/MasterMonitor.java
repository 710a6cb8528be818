package org.mha4j.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.config.ServerConfig;
import org.mha4j.hook.HookCommand;
import org.mha4j.hook.HookRunner;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.Heartbeat;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings the master every ping_interval until it is dead. This is the I/O: the pings, the secondary check, the
 * replicas asked; {@link DeathVerdict} decides from what they said.
 */
public final class MasterMonitor {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** The longest the verdict waits to tell a silent master from a quiet one (heartbeat periods up to 2 s). */
    private static final Duration MAX_EXTRA_WAIT = Duration.ofSeconds(5);

    public sealed interface Outcome {
        /**
         * @param semiSyncWasOn the master's semi-sync status at the last good ping
         * @param lastGoodPing  when this monitor last reached the master; empty if it never did
         */
        record Dead(ServerConfig master, Duration detection, boolean semiSyncWasOn, Optional<Instant> lastGoodPing,
                    DeathVerdict.Verdict verdict) implements Outcome {}

        record Stopped() implements Outcome {}
    }

    private final ServerConfig master;
    private final List<ServerConfig> replicas;
    private final StatusFile status;
    private final AtomicBoolean stop;
    private boolean semiSyncWasOn;
    private Instant lastGoodPing;
    /** The replicas as they were at the first failed check: what tells a hung master's silence from a quiet one's. */
    private Map<String, DeathVerdict.ReplicaSample> atFirstFailure = Map.of();

    /** @param reachedAtStart the start-up check reached the master; a master not reached is watched the same way */
    public MasterMonitor(ServerConfig master, List<ServerConfig> replicas, StatusFile status, AtomicBoolean stop, boolean semiSyncWasOn,
                         boolean reachedAtStart) {
        this.master = master;
        this.replicas = List.copyOf(replicas);
        this.status = status;
        this.stop = stop;
        this.semiSyncWasOn = semiSyncWasOn;
        this.lastGoodPing = reachedAtStart ? Instant.now() : null;
    }

    public Outcome watch() {
        Duration interval = Duration.ofSeconds(master.pingInterval());
        int failures = 0;
        long firstFailure = 0;
        boolean okWritten = false;
        if (lastGoodPing != null) log.info("Ping({}) succeeded, waiting until MySQL doesn't respond..", master.pingType());
        try (Pinger pinger = new Pinger(master)) {
            while (!stop.get()) {
                long t0 = System.nanoTime();
                switch (pinger.ping()) {
                    case Pinger.Result.Ok ok -> {
                        if (failures > 0) log.info("Ping to {} succeeded again after {} failure(s).", label(), failures);
                        failures = 0;
                        semiSyncWasOn = ok.semiSyncActive().orElse(false);
                        lastGoodPing = Instant.now();
                        if (!okWritten) {
                            status.write(ManagerStatus.PING_OK, master.hostname());
                            okWritten = true;
                        } else {
                            status.touch();
                        }
                    }
                    case Pinger.Result.Refused r -> log.warn("Got error {} when connecting to {}, but this is not a MySQL crash."
                            + " Continue health check..", r.failure().reason(), label());
                    case Pinger.Result.Failed f -> {
                        if (failures++ == 0) firstFailure = t0;
                        okWritten = false;
                        log.warn("Got error on MySQL ping to {}: {} ({}/{})", label(), f.reason(), failures, DeathVerdict.FAILURES_BEFORE_SUSPECT);
                        status.write(ManagerStatus.PING_FAILING, master.hostname());
                        boolean suspected = DeathVerdict.suspected(master.detection(), failures, f.refused());
                        if (failures == 1 && !suspected) atFirstFailure = sampleReplicas();
                        if (suspected) {
                            status.write(ManagerStatus.PING_FAILED, master.hostname());
                            DeathVerdict.Verdict v = DeathVerdict.judge(label(), observe(failures, f.refused()));
                            if (v.failover()) {
                                Duration detection = Duration.ofNanos(System.nanoTime() - firstFailure);
                                log.warn("{} [{}] Detected {} ms after the first failed ping.", v.reason(), v.code(), detection.toMillis());
                                return new Outcome.Dead(master, detection, semiSyncWasOn, Optional.ofNullable(lastGoodPing), v);
                            }
                            log.warn("{} [{}]", v.reason(), v.code());
                            failures = 0;
                        }
                    }
                }
                sleepRest(t0, interval);
            }
        }
        return new Outcome.Stopped();
    }

    /** The secondary check, then (when it agrees the master is gone) the replicas: each asked once. */
    private DeathVerdict.Observations observe(int failures, boolean refused) {
        Optional<DeathVerdict.SecondaryCheck> secondary = master.secondaryCheckScript().map(script -> {
            HookRunner.Result r = HookRunner.run(HookCommand.secondaryCheck(script, master), Duration.ofSeconds(60));
            return new DeathVerdict.SecondaryCheck(r.exitCode(), r.timedOut());
        });
        if (secondary.isEmpty()) log.info("secondary_check_script is not defined; asking the replicas instead.");
        else if (secondary.get().agreesDead()) log.info("Secondary network check: the master is unreachable from the other routes too.");
        List<DeathVerdict.Replica> replicas = secondary.map(DeathVerdict.SecondaryCheck::agreesDead).orElse(true) ? askReplicas() : List.of();
        atFirstFailure = Map.of();
        return new DeathVerdict.Observations(master.detection(), failures, refused, secondary, replicas);
    }

    /**
     * How each replica sees the master now, next to how it was at the first failed check. A connected replica that has
     * received nothing, but not yet for long enough to tell, is asked once more when it has been (a few seconds at most,
     * with the manager's one-second heartbeat).
     */
    List<DeathVerdict.Replica> askReplicas() {
        Map<String, DeathVerdict.ReplicaSample> now = sampleReplicas();
        long wait = now.values().stream().mapToLong(s -> DeathVerdict.moreTimeNeeded(Optional.ofNullable(atFirstFailure.get(s.label())), s))
                .max().orElse(0);
        if (wait > 0 && wait <= MAX_EXTRA_WAIT.toMillis()) {
            log.info("A replica connected to the master has received nothing for a while; asking again in {} ms.", wait);
            Pause.sleep(stop, wait);
            now = sampleReplicas();
        }
        List<DeathVerdict.Replica> out = new ArrayList<>();
        for (DeathVerdict.ReplicaSample s : now.values()) {
            out.add(new DeathVerdict.Replica(s.label(), DeathVerdict.view(Optional.ofNullable(atFirstFailure.get(s.label())), s)));
        }
        return out;
    }

    /** Each replica's IO thread towards the master, read position and heartbeats, in parallel (a hung replica costs its timeout once). */
    private Map<String, DeathVerdict.ReplicaSample> sampleReplicas() {
        Map<String, DeathVerdict.ReplicaSample> out = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DeathVerdict.ReplicaSample>> fs = replicas.stream().map(r -> pool.submit(() -> sample(r))).toList();
            for (Future<DeathVerdict.ReplicaSample> f : fs) {
                DeathVerdict.ReplicaSample s = f.get();
                out.put(s.label(), s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }

    private DeathVerdict.ReplicaSample sample(ServerConfig r) {
        String label = ServerLabels.label(r);
        try (Connection c = Db.connect(r, Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            Dialect d = Dialect.of(c);
            Optional<ReplicaStatus> rs = d.replicaStatusOf(c);
            boolean connected = rs.filter(ReplicaStatus::ioRunning).filter(x -> x.pointsAt(master)).isPresent();
            String read = rs.map(x -> x.masterLogFile() + ":" + x.readMasterLogPos()).orElse("");
            return new DeathVerdict.ReplicaSample(label, true, connected, read, heartbeat(d, c), System.nanoTime() / 1_000_000);
        } catch (SQLException e) {
            log.debug("cannot ask {} about the master: {}", label, e.getMessage());
            return DeathVerdict.ReplicaSample.unreachable(label, System.nanoTime() / 1_000_000);
        }
    }

    /**
     * A replica that cannot tell its heartbeats (MySQL 5.7+ with performance_schema off, a missing privilege) is still a
     * replica that answered: its IO thread's Yes is then all the verdict has, as in MHA.
     */
    private static Optional<Heartbeat> heartbeat(Dialect d, Connection c) {
        try {
            return d.heartbeat(c);
        } catch (SQLException e) {
            log.debug("no heartbeat count: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private String label() {
        return ServerLabels.label(master);
    }

    private void sleepRest(long t0, Duration interval) {
        long rest = interval.toMillis() - (System.nanoTime() - t0) / 1_000_000;
        Pause.sleep(stop, Math.max(0, rest));
    }
}
