package org.mha4j.rejoin;

import java.util.Optional;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.ServerLabels;
import org.mha4j.topology.ServerSnapshot;

/**
 * Whether an old master may replicate from the current master: pure (the two snapshots in, a verdict with a code out).
 * It may when it holds nothing the current master lacks; transactions only it holds (never acknowledged, or acknowledged
 * in an asynchronous window the failover could not recover) would otherwise be lost for good or break replication.
 */
public final class RejoinDecision {
    private RejoinDecision() {}

    public enum Code {
        /** It holds nothing the master lacks: re-point it (GTID), read-only, replica side of semi-sync. */
        REJOIN,
        /** It already replicates from the current master. */
        ALREADY_REPLICA,
        /** It holds transactions the master does not have: archived, and refused. */
        EXTRA_TRANSACTIONS,
        /** It is the current master. */
        IS_MASTER,
        /** MySQL next to MariaDB: their GTIDs and replication do not mix. */
        OTHER_FLAVOR,
        /** Without GTID: the failover record's positions decide ({@link PositionRejoin}). */
        NO_GTID
    }

    /** @param extra what only the old master holds (empty unless {@link Code#EXTRA_TRANSACTIONS}) */
    public record Verdict(Code code, String reason, Optional<GtidSet> extra) {
        public boolean changes() {
            return code == Code.REJOIN;
        }
    }

    public static Verdict decide(ServerSnapshot old, ServerSnapshot master) {
        String o = old.label();
        String m = master.label();
        if (old.config().equals(master.config())) {
            return new Verdict(Code.IS_MASTER, o + " is the current master: nothing to rejoin", Optional.empty());
        }
        if (old.version().flavor() != master.version().flavor()) {
            return new Verdict(Code.OTHER_FLAVOR, o + " runs " + old.version().display() + " and the master " + m + " runs "
                    + master.version().display() + ": a server of another flavour cannot replicate from it", Optional.empty());
        }
        if (old.replica().filter(r -> r.pointsAt(master.config())).isPresent()) {
            return new Verdict(Code.ALREADY_REPLICA, o + " already replicates from the master " + m + ": nothing to do", Optional.empty());
        }
        if (!old.gtid().enabled() || !master.gtid().enabled()) {
            return new Verdict(Code.NO_GTID, "GTID is off on " + (old.gtid().enabled() ? m : o) + ": what " + o + " holds beyond the"
                    + " master " + m + " is told by the positions the failover recorded", Optional.empty());
        }
        GtidSet extra = old.gtid().executed().subtract(master.gtid().executed());
        if (!extra.isEmpty()) {
            return new Verdict(Code.EXTRA_TRANSACTIONS, o + " holds transactions the master " + m + " does not have: " + extra, Optional.of(extra));
        }
        return new Verdict(Code.REJOIN, o + " holds nothing the master " + m + " lacks: it can replicate from it", Optional.empty());
    }
}
