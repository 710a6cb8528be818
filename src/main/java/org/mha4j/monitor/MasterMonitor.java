package org.mha4j.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.config.Detection;
import org.mha4j.config.ServerConfig;
import org.mha4j.hook.HookCommand;
import org.mha4j.hook.HookRunner;
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
    /** The latest a replica sample of a check's round starts after the check itself. */
    private static final Duration SAMPLE_SLACK = Duration.ofMillis(100);

    public sealed interface Outcome {
        /**
         * @param semiSyncWasOn the master's semi-sync status at the last good ping
         * @param lastGoodPing  when this monitor last reached the master; empty if it never did
         * @param lastUnansweredCheck the last check of the master, which went unanswered
         */
        record Dead(ServerConfig master, Duration detection, boolean semiSyncWasOn, Optional<Instant> lastGoodPing,
                    DeathVerdict.Verdict verdict, Optional<UnansweredCheck> lastUnansweredCheck) implements Outcome {}

        record Stopped() implements Outcome {}
    }

    private final ServerConfig master;
    private final List<ServerConfig> replicas;
    private final StatusFile status;
    private final AtomicBoolean stop;
    private boolean semiSyncWasOn;
    private Instant lastGoodPing;
    /** The replicas' view of the master: what tells a hung master's silence from a quiet one's. */
    private final ReplicaSampler sampler;
    private final MonitorEvents events;

    /** @param reachedAtStart the start-up check reached the master; a master not reached is watched the same way */
    public MasterMonitor(ServerConfig master, List<ServerConfig> replicas, StatusFile status, AtomicBoolean stop, boolean semiSyncWasOn,
                         boolean reachedAtStart) {
        this(master, replicas, status, stop, semiSyncWasOn, reachedAtStart, MonitorEvents.NONE);
    }

    public MasterMonitor(ServerConfig master, List<ServerConfig> replicas, StatusFile status, AtomicBoolean stop, boolean semiSyncWasOn,
                         boolean reachedAtStart, MonitorEvents events) {
        this.events = events;
        this.master = master;
        this.replicas = List.copyOf(replicas);
        this.status = status;
        this.stop = stop;
        this.semiSyncWasOn = semiSyncWasOn;
        this.lastGoodPing = reachedAtStart ? Instant.now() : null;
        this.sampler = new ReplicaSampler(master, replicas, Pinger.timeout(master), events);
    }

    public Outcome watch() {
        Duration interval = Duration.ofSeconds(master.pingInterval());
        // With detection=fast the replicas are looked at with every check, so that when the master stops answering the
        // manager already knows since when they have received nothing; MHA's rule asks them only once it suspects it.
        boolean everyCheck = master.detection() == Detection.FAST;
        int failures = 0;
        long firstFailure = 0;
        boolean okWritten = false;
        if (lastGoodPing != null) log.info("Ping({}) succeeded, waiting until MySQL doesn't respond..", master.pingType());
        try (Pinger pinger = new Pinger(master); sampler) {
            while (!stop.get()) {
                long t0 = System.nanoTime();
                CompletableFuture<Void> round = everyCheck ? sampler.startRound() : null;
                Pinger.Result result = pinger.ping();
                long checkMillis = (System.nanoTime() - t0) / 1_000_000;
                if (round != null) ReplicaSampler.await(round, t0 + interval.toNanos());
                switch (result) {
                    case Pinger.Result.Ok ok -> {
                        if (failures > 0) log.info("Ping to {} succeeded again after {} failure(s).", label(), failures);
                        failures = 0;
                        semiSyncWasOn = ok.semiSyncActive().orElse(false);
                        lastGoodPing = Instant.now();
                        events.checked(true, checkMillis, 0, ok.semiSyncActive());
                        if (!okWritten) {
                            status.write(ManagerStatus.PING_OK, master.hostname());
                            okWritten = true;
                        } else {
                            status.touch();
                        }
                    }
                    case Pinger.Result.Refused r -> {
                        // the server answered, refusing: alive to the detector, not a check that succeeded
                        events.checked(false, checkMillis, failures, Optional.empty());
                        log.warn("Got error {} when connecting to {}, but this is not a MySQL crash."
                                + " Continue health check..", r.failure().reason(), label());
                    }
                    case Pinger.Result.Failed f -> {
                        long unanswered = System.nanoTime();
                        if (failures++ == 0) firstFailure = t0;
                        okWritten = false;
                        events.checked(false, checkMillis, failures, Optional.empty());
                        log.warn("Got error on MySQL ping to {}: {} ({}/{})", label(), f.reason(), failures,
                                DeathVerdict.failuresBeforeSuspect(master.detection()));
                        status.write(ManagerStatus.PING_FAILING, master.hostname());
                        boolean suspected = DeathVerdict.suspected(master.detection(), failures, f.refused());
                        if (failures == 1 && !suspected && !everyCheck) sampler.lookNow();
                        if (suspected) {
                            status.write(ManagerStatus.PING_FAILED, master.hostname());
                            DeathVerdict.Verdict v = DeathVerdict.judge(label(), observe(failures, f.refused(), firstFailure));
                            events.judged(v);
                            if (v.failover()) {
                                Duration detection = Duration.ofNanos(System.nanoTime() - firstFailure);
                                log.warn("{} [{}] Detected {} ms after the first failed ping.", v.reason(), v.code(), detection.toMillis());
                                return new Outcome.Dead(master, detection, semiSyncWasOn, Optional.ofNullable(lastGoodPing), v,
                                        Optional.of(new UnansweredCheck(unanswered, f.failure())));
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
    private DeathVerdict.Observations observe(int failures, boolean refused, long firstFailureNanos) {
        Optional<DeathVerdict.SecondaryCheck> secondary = master.secondaryCheckScript().map(script -> {
            HookRunner.Result r = HookRunner.run(HookCommand.secondaryCheck(script, master), master.secondaryCheckTimeout());
            return new DeathVerdict.SecondaryCheck(r.exitCode(), r.timedOut());
        });
        if (secondary.isEmpty()) log.info("secondary_check_script is not defined; asking the replicas instead.");
        else if (secondary.get().agreesDead()) log.info("Secondary network check: the master is unreachable from the other routes too.");
        List<DeathVerdict.Replica> replicas = secondary.map(DeathVerdict.SecondaryCheck::agreesDead).orElse(true)
                ? askReplicas(firstFailureNanos) : List.of();
        return new DeathVerdict.Observations(master.detection(), failures, refused, secondary, replicas);
    }

    /**
     * How each replica sees the master now, next to the first sample of the state it was in. A connected replica counts
     * as silent only once it has received nothing for as long as the manager's own checks have gone unanswered (since the
     * first failed one began): a lossy link stalls a replica's stream for a second now and then, and must not pass for a
     * master that stopped sending. One that has received nothing, but not yet for long enough to tell, is asked once
     * more when it has been (a few seconds at most, with the manager's heartbeat).
     */
    List<DeathVerdict.Replica> askReplicas(long firstFailureNanos) {
        List<ReplicaSampler.Look> now = sampler.lookNow();
        long wait = now.stream().mapToLong(l -> l.moreTimeNeeded(unansweredMs(firstFailureNanos))).max().orElse(0);
        if (wait > 0 && wait <= MAX_EXTRA_WAIT.toMillis()) {
            log.info("A replica connected to the master has received nothing for a while; asking again in {} ms.", wait);
            Pause.sleep(stop, wait);
            now = sampler.lookNow();
        }
        long floor = unansweredMs(firstFailureNanos);
        return now.stream().map(l -> new DeathVerdict.Replica(l.now().label(), l.view(floor))).toList();
    }

    /**
     * How long the manager's checks have gone unanswered, less {@link #SAMPLE_SLACK}: the replicas are sampled with each
     * check, a few milliseconds after it starts, and a sample taken with the first failed check must count as taken at
     * its start (measured from the sample, the replica's silence would trail the manager's by those milliseconds for
     * ever).
     */
    private long unansweredMs(long firstFailureNanos) {
        // detection=mha samples the replicas only at the first failed check, after it: its silence is counted from there
        if (master.detection() != Detection.FAST) return 0;
        return Math.max(0, (System.nanoTime() - firstFailureNanos) / 1_000_000 - SAMPLE_SLACK.toMillis());
    }

    private String label() {
        return ServerLabels.label(master);
    }

    /**
     * Until the next check: one interval after this one began (at once when it took longer, as a hung master's checks
     * do), put off to the next multiple of the interval on the wall clock. Every monitor of the process (mha serve runs
     * hundreds) then checks in the same instant and their threads wake together (once per interval, and on the whole
     * seconds between with a longer ping_interval, see {@link Pause}) instead of one by one all the time: each wake-up
     * of an idle process costs more CPU than the queries it does (docs/benchmarks.md, "mha serve at scale"). A check is
     * brought forward by at most a tenth of the interval (100 ms), never more.
     */
    private void sleepRest(long t0, Duration interval) {
        long ms = interval.toMillis();
        long rest = ms - (System.nanoTime() - t0) / 1_000_000;
        if (rest <= 0) return;
        // a grid point a few milliseconds before the due time counts: measured on two clocks, a check that began on the
        // grid is due a millisecond or two after the next point, which must not put it off a whole interval
        long slack = Math.min(100, ms / 10);
        long due = System.currentTimeMillis() + rest - slack;
        long aligned = due + Math.floorMod(-due, ms);
        Pause.sleep(stop, aligned - System.currentTimeMillis());
    }
}
