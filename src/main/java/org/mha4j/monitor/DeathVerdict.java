package org.mha4j.monitor;

import java.util.List;
import java.util.Optional;
import org.mha4j.config.Detection;
import org.mha4j.topology.Heartbeat;

/**
 * Whether the master is dead, from what the manager observed: pure (observations in, verdict out), so that every
 * combination is testable without a server. MHA's rule: four failed checks in a row, then the secondary check (when
 * configured) agrees, then no replica still receives from the master. With {@code detection=fast} (the default) two
 * failed checks make the master suspected, one when its host answers that nothing listens on its port (connection
 * refused: mysqld crashed or was killed); the same confirmation follows, and a replica still connected to it confirms
 * only a silence as long as the manager's own. A link broken between the manager and the
 * master alone never makes it dead, nor does a manager that reaches nobody.
 */
public final class DeathVerdict {
    /** MHA counts four failures (one ping, three reconnects) before it suspects the master. */
    public static final int FAILURES_BEFORE_SUSPECT = 4;
    /**
     * With detection=fast two are enough: a suspected master is failed over only when every replica confirms it, and with
     * the manager's heartbeat a replica connected to it confirms only a silence of 2.5 heartbeat periods.
     */
    public static final int FAST_FAILURES_BEFORE_SUSPECT = 2;

    private DeathVerdict() {}

    /** What the verdict is, as a name a program can act on (the log says it in a sentence). */
    public enum Code {
        /** The last check succeeded. */
        MASTER_ALIVE,
        /** Checks fail, fewer than four in a row: not suspected yet. */
        PING_FAILING,
        /** Dead: every route agrees and no replica receives from it. Fail over. */
        DEAD_MASTER,
        /** Dead, and some replicas do not answer the manager either. Fail over; Phase 1 decides whether they may be left out. */
        DEAD_MASTER_AND_SOME_REPLICAS,
        /**
         * Hung: it does not answer, and replicas still connected to it received nothing, not even a heartbeat, for
         * several heartbeat periods (their IO thread says Yes until slave_net_timeout). Fail over.
         */
        MASTER_HUNG,
        /** The manager cannot reach the master, but a replica still receives from it: the problem is the manager's link. */
        UNREACHABLE_MASTER,
        /** The manager reaches neither the master nor any replica: most likely the manager is cut off, not the master. */
        NO_REPLICA_ANSWERS,
        /** secondary_check_script reached the master by another route (its exit 3). */
        SECONDARY_CHECK_REACHED_MASTER,
        /** secondary_check_script could not decide (exit 2: a route is down; any other error or a timeout). */
        SECONDARY_CHECK_FAILED
    }

    public record Verdict(Code code, String reason) {
        public boolean failover() {
            return code == Code.DEAD_MASTER || code == Code.DEAD_MASTER_AND_SOME_REPLICAS || code == Code.MASTER_HUNG;
        }
    }

    /**
     * How one replica saw the master, asked by the manager. SILENT: its IO thread is connected to the master, but
     * nothing came, not even a heartbeat, for {@link #SILENT_PERIODS} heartbeat periods (and the monitor's floor).
     */
    public enum ReplicaView { RECEIVING, SILENT, NOT_RECEIVING, UNREACHABLE }

    /** Heartbeat periods without anything received that make a connected replica's master silent. */
    public static final double SILENT_PERIODS = 2.5;

    /**
     * One look at a replica.
     *
     * @param answered          it answered the manager
     * @param connectedToMaster its IO thread runs ("Yes") against the master being watched
     * @param readPosition      how far it has read the master's binlog (Master_Log_File:Read_Master_Log_Pos)
     * @param heartbeat         its heartbeat period and count, when the server tells
     * @param atMillis          when, on the manager's monotonic clock
     */
    public record ReplicaSample(String label, boolean answered, boolean connectedToMaster, String readPosition,
                                Optional<Heartbeat> heartbeat, long atMillis) {
        public static ReplicaSample unreachable(String label, long atMillis) {
            return new ReplicaSample(label, false, false, "", Optional.empty(), atMillis);
        }
    }

    /**
     * How much longer (ms) a connected replica that has received nothing yet must be watched before {@link #view} can call
     * its master silent; 0 when the view is already decided either way. A master that fails fast (a route gone) gets its
     * four failed checks in less than 2.5 heartbeat periods.
     */
    public static long moreTimeNeeded(Optional<ReplicaSample> before, ReplicaSample now) {
        return moreTimeNeeded(before, now, 0);
    }

    /** @param minSilenceMs the shortest silence that counts, whatever the heartbeat period */
    public static long moreTimeNeeded(Optional<ReplicaSample> before, ReplicaSample now, long minSilenceMs) {
        return silenceNeededMs(before, now, minSilenceMs).map(need -> Math.max(0, need - (now.atMillis() - before.get().atMillis()))).orElse(0L);
    }

    /**
     * A replica's view of the master from a sample taken now and, when there is one, one taken when the master was first
     * suspected. Connected means receiving unless the earlier sample shows that nothing arrived for long enough to be
     * sure: several heartbeat periods without a heartbeat or an event. Without an earlier sample or a heartbeat count it
     * stays receiving, as MHA's IO-thread rule has it.
     */
    public static ReplicaView view(Optional<ReplicaSample> before, ReplicaSample now) {
        return view(before, now, 0);
    }

    /**
     * @param minSilenceMs the shortest silence that counts, whatever the heartbeat period: the monitor asks for as long
     *                     as its own checks went unanswered, so that a lossy link, whose streams stall for a second now
     *                     and then, is not taken for a master that stopped sending
     */
    public static ReplicaView view(Optional<ReplicaSample> before, ReplicaSample now, long minSilenceMs) {
        if (!now.answered()) return ReplicaView.UNREACHABLE;
        if (!now.connectedToMaster()) return ReplicaView.NOT_RECEIVING;
        boolean silent = silenceNeededMs(before, now, minSilenceMs).filter(need -> now.atMillis() - before.get().atMillis() >= need).isPresent();
        return silent ? ReplicaView.SILENT : ReplicaView.RECEIVING;
    }

    /**
     * How long (ms) a replica connected to the master must have received nothing to call the master silent: 2.5 heartbeat
     * periods. Empty when that cannot be told (not connected, no earlier sample, no heartbeat count, heartbeats off) or
     * when something came since the earlier sample.
     */
    private static Optional<Long> silenceNeededMs(Optional<ReplicaSample> before, ReplicaSample now, long minSilenceMs) {
        if (!now.answered() || !now.connectedToMaster() || before.isEmpty() || !before.get().connectedToMaster()
                || before.get().heartbeat().isEmpty() || now.heartbeat().isEmpty()) {
            return Optional.empty();
        }
        Heartbeat b = before.get().heartbeat().get();
        Heartbeat n = now.heartbeat().get();
        if (n.received() != b.received() || !now.readPosition().equals(before.get().readPosition())) return Optional.empty();
        double period = Math.max(b.periodSeconds(), n.periodSeconds());
        return period > 0 ? Optional.of(Math.max(minSilenceMs, (long) Math.ceil(SILENT_PERIODS * period * 1000))) : Optional.empty();
    }

    public record Replica(String label, ReplicaView view) {}

    /** secondary_check_script's result; {@code timedOut} overrides the exit code. */
    public record SecondaryCheck(int exitCode, boolean timedOut) {
        public boolean agreesDead() {
            return !timedOut && exitCode == 0;
        }
    }

    /**
     * @param detection           the rule in force
     * @param consecutiveFailures failed checks in a row (0 after a good one)
     * @param refused             the last failed check was refused by the master's host: nothing listens on its port
     * @param secondary           empty when secondary_check_script is not configured (or not run yet)
     * @param replicas            what each replica said; empty when they were not asked
     */
    public record Observations(Detection detection, int consecutiveFailures, boolean refused, Optional<SecondaryCheck> secondary,
                               List<Replica> replicas) {
        public Observations {
            replicas = List.copyOf(replicas);
        }
    }

    /** Whether the secondary check and the replicas must be asked at all: only once the master is suspected. */
    public static boolean suspected(Detection detection, int consecutiveFailures, boolean refused) {
        return consecutiveFailures >= failuresBeforeSuspect(detection) || detection == Detection.FAST && refused && consecutiveFailures > 0;
    }

    /** Failed checks in a row that make the master suspected (one is enough with fast detection when the port is closed). */
    public static int failuresBeforeSuspect(Detection detection) {
        return detection == Detection.FAST ? FAST_FAILURES_BEFORE_SUSPECT : FAILURES_BEFORE_SUSPECT;
    }

    public static Verdict judge(String master, Observations o) {
        if (o.consecutiveFailures() == 0) return new Verdict(Code.MASTER_ALIVE, "Ping(" + master + ") succeeded.");
        if (!suspected(o.detection(), o.consecutiveFailures(), o.refused())) {
            return new Verdict(Code.PING_FAILING, o.consecutiveFailures() + " failed check(s) of " + master + " in a row, "
                    + failuresBeforeSuspect(o.detection()) + " make it suspected.");
        }
        if (o.secondary().isPresent() && !o.secondary().get().agreesDead()) {
            SecondaryCheck s = o.secondary().get();
            if (s.timedOut()) {
                return new Verdict(Code.SECONDARY_CHECK_FAILED, "Secondary network check script timed out. Failover should not start.");
            }
            return switch (s.exitCode()) {
                case 2 -> new Verdict(Code.SECONDARY_CHECK_FAILED, "At least one of monitoring servers is not reachable from this script."
                        + " This is likely a network problem. Failover should not happen.");
                case 3 -> new Verdict(Code.SECONDARY_CHECK_REACHED_MASTER,
                        "Master is reachable from at least one of other monitoring servers. Failover should not happen.");
                default -> new Verdict(Code.SECONDARY_CHECK_FAILED, "Secondary network check script returned errors (exit "
                        + s.exitCode() + "). Failover should not start.");
            };
        }
        List<String> receiving = labels(o, ReplicaView.RECEIVING);
        if (!receiving.isEmpty()) {
            return new Verdict(Code.UNREACHABLE_MASTER, "Master " + master + " does not answer the manager, but " + String.join(", ", receiving)
                    + " still receive(s) from it: the problem is between the manager and the master. No failover; monitoring goes on.");
        }
        List<String> unreachable = labels(o, ReplicaView.UNREACHABLE);
        if (!o.replicas().isEmpty() && unreachable.size() == o.replicas().size()) {
            return new Verdict(Code.NO_REPLICA_ANSWERS, "Neither master " + master + " nor any replica (" + String.join(", ", unreachable)
                    + ") answers the manager: the manager is most likely cut off itself. No failover; monitoring goes on.");
        }
        List<String> silent = labels(o, ReplicaView.SILENT);
        if (!silent.isEmpty()) {
            return new Verdict(Code.MASTER_HUNG, "Master " + master + " is hung after " + o.consecutiveFailures() + " failed check(s): "
                    + String.join(", ", silent) + " still connected to it received nothing, not even a heartbeat, for "
                    + SILENT_PERIODS + " heartbeat periods" + (unreachable.isEmpty() ? "." : "; " + String.join(", ", unreachable)
                    + " do(es) not answer."));
        }
        if (!unreachable.isEmpty()) {
            return new Verdict(Code.DEAD_MASTER_AND_SOME_REPLICAS, "Master " + master + " is down, and " + String.join(", ", unreachable)
                    + " do(es) not answer either.");
        }
        return new Verdict(Code.DEAD_MASTER, "Master " + master + " is down after " + o.consecutiveFailures() + " failed check(s): "
                + (o.refused() ? "its host refuses connections to its port (mysqld is not running), " : "")
                + "no replica receives from it" + (o.secondary().isPresent() ? " and the secondary check agrees." : "."));
    }

    private static List<String> labels(Observations o, ReplicaView v) {
        return o.replicas().stream().filter(r -> r.view() == v).map(Replica::label).toList();
    }
}
