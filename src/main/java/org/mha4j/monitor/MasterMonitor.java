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
 * Pings the master every ping_interval until it is dead. Dead means: MHA's four failed checks in a row, then the
 * secondary check (if configured) agrees, then no replica still receives from it. A broken link between the manager
 * and the master alone never makes it dead.
 */
public final class MasterMonitor {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** MHA counts four failures (one ping, three reconnects) before it suspects the master. */
    static final int FAILURES_BEFORE_SUSPECT = 4;

    public sealed interface Outcome {
        /**
         * @param semiSyncWasOn the master's semi-sync status at the last good ping
         * @param lastGoodPing  when this monitor last reached the master; empty if it never did
         */
        record Dead(ServerConfig master, Duration detection, boolean semiSyncWasOn, Optional<Instant> lastGoodPing) implements Outcome {}

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
                        log.warn("Got error on MySQL ping to {}: {} ({}/{})", label(), f.reason(), failures, FAILURES_BEFORE_SUSPECT);
                        status.write(ManagerStatus.PING_FAILING, master.hostname());
                        if (failures >= FAILURES_BEFORE_SUSPECT) {
                            status.write(ManagerStatus.PING_FAILED, master.hostname());
                            if (confirmedDead()) {
                                Duration detection = Duration.ofNanos(System.nanoTime() - firstFailure);
                                log.warn("Master {} is down! Detected {} ms after the first failed ping.", label(), detection.toMillis());
                                return new Outcome.Dead(master, detection, semiSyncWasOn, Optional.ofNullable(lastGoodPing));
                            }
                            failures = 0;
                        }
                    }
                }
                sleepRest(t0, interval);
            }
        }
        return new Outcome.Stopped();
    }

    private boolean confirmedDead() {
        Optional<String> secondary = master.secondaryCheckScript();
        if (secondary.isPresent()) {
            HookRunner.Result r = HookRunner.run(secondaryCheck(secondary.get()), Duration.ofSeconds(60));
            switch (r.timedOut() ? -1 : r.exitCode()) {
                case 0 -> log.info("Secondary network check: the master is unreachable from the other routes too.");
                case 2 -> {
                    log.warn("At least one of monitoring servers is not reachable from this script. This is likely a network problem. Failover should not happen.");
                    return false;
                }
                case 3 -> {
                    log.warn("Master is reachable from at least one of other monitoring servers. Failover should not happen.");
                    return false;
                }
                default -> {
                    log.warn("Secondary network check script returned errors (exit {}). Failover should not start.", r.exitCode());
                    return false;
                }
            }
        } else {
            log.info("secondary_check_script is not defined; asking the replicas instead.");
        }
        List<String> stillConnected = replicasStillReceiving();
        if (!stillConnected.isEmpty()) {
            log.warn("Master {} does not answer the manager, but {} still receive(s) from it: the problem is between"
                    + " the manager and the master. No failover; monitoring goes on.", label(), String.join(", ", stillConnected));
            return false;
        }
        return true;
    }

    /** Replicas whose IO thread is connected to the master right now. */
    List<String> replicasStillReceiving() {
        List<String> out = new ArrayList<>();
        for (ServerConfig r : replicas) {
            try (Connection c = Db.connect(r, Duration.ofSeconds(2), Duration.ofSeconds(5))) {
                if (Dialect.of(c).replicaStatusOf(c).filter(ReplicaStatus::ioRunning).filter(x -> x.pointsAt(master)).isPresent()) {
                    out.add(ServerLabels.label(r));
                }
            } catch (SQLException e) {
                log.debug("cannot ask {} about the master: {}", ServerLabels.label(r), e.getMessage());
            }
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
