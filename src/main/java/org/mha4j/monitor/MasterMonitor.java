package org.mha4j.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.config.ServerConfig;
import org.mha4j.hook.HookCommand;
import org.mha4j.hook.HookRunner;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
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
                        if (DeathVerdict.suspected(failures)) {
                            status.write(ManagerStatus.PING_FAILED, master.hostname());
                            DeathVerdict.Verdict v = DeathVerdict.judge(label(), observe(failures));
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
    private DeathVerdict.Observations observe(int failures) {
        Optional<DeathVerdict.SecondaryCheck> secondary = master.secondaryCheckScript().map(script -> {
            HookRunner.Result r = HookRunner.run(secondaryCheck(script), Duration.ofSeconds(60));
            return new DeathVerdict.SecondaryCheck(r.exitCode(), r.timedOut());
        });
        if (secondary.isEmpty()) log.info("secondary_check_script is not defined; asking the replicas instead.");
        else if (secondary.get().agreesDead()) log.info("Secondary network check: the master is unreachable from the other routes too.");
        List<DeathVerdict.Replica> replicas = secondary.map(DeathVerdict.SecondaryCheck::agreesDead).orElse(true) ? askReplicas() : List.of();
        return new DeathVerdict.Observations(failures, secondary, replicas);
    }

    /** How each replica sees the master right now: its IO thread connected to it, or not, or no answer. */
    List<DeathVerdict.Replica> askReplicas() {
        List<DeathVerdict.Replica> out = new ArrayList<>();
        for (ServerConfig r : replicas) {
            DeathVerdict.ReplicaView view;
            try (Connection c = Db.connect(r, Duration.ofSeconds(2), Duration.ofSeconds(5))) {
                view = Dialect.of(c).replicaStatusOf(c).filter(ReplicaStatus::ioRunning).filter(x -> x.pointsAt(master)).isPresent()
                        ? DeathVerdict.ReplicaView.RECEIVING : DeathVerdict.ReplicaView.NOT_RECEIVING;
            } catch (SQLException e) {
                log.debug("cannot ask {} about the master: {}", ServerLabels.label(r), e.getMessage());
                view = DeathVerdict.ReplicaView.UNREACHABLE;
            }
            out.add(new DeathVerdict.Replica(ServerLabels.label(r), view));
        }
        return out;
    }

    /** MHA's arguments, less --master_password: MHA4J puts no password on a command line. */
    private HookCommand secondaryCheck(String script) {
        return new HookCommand(script, List.of("--user=" + master.sshUser(), "--master_host=" + master.hostname(),
                "--master_ip=" + master.ip(), "--master_port=" + master.port(), "--master_user=" + master.user(),
                "--ping_type=" + master.pingType()));
    }

    private String label() {
        return ServerLabels.label(master);
    }

    private void sleepRest(long t0, Duration interval) {
        long rest = interval.toMillis() - (System.nanoTime() - t0) / 1_000_000;
        Pause.sleep(stop, Math.max(0, rest));
    }
}
