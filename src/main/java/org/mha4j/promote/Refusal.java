package org.mha4j.promote;

/**
 * A failover (or switch) that cannot be made safe. The message says why, for the log and the report; the code says it
 * for programs (the failover record, later the API and metrics). Thrown by a check of Phase 1, nothing has been
 * changed; thrown later, the failover report says what is left to do by hand.
 */
public final class Refusal extends Exception {

    /** Why, as a name a program can act on. */
    public enum Code {
        /** {@code <app>.failover.error} of an earlier failover is still there. */
        LAST_FAILOVER_FAILED,
        /** Within last_failover_minute of the previous failover. */
        LAST_FAILOVER_TOO_RECENT,
        /** The "dead" master answers MySQL again. */
        MASTER_ALIVE,
        /** The current master of a switch cannot be determined. */
        MASTER_UNKNOWN,
        /** A server the failover or switch needs does not answer (and has no ignore_fail=1). */
        SERVER_UNREACHABLE,
        /** A replica replicates from somewhere else than the master being replaced. */
        TOPOLOGY_CHANGED,
        NO_ALIVE_REPLICA,
        /**
         * A replica's host, which a file/position recovery applies events on, does not answer SSH or lacks the client
         * programs (the name is from when MHA4J ran node tools there; kept for programs that read the code).
         */
        NODE_TOOLS_UNUSABLE,
        /** Replicas hold transactions the others never had: promoting any would lose some. */
        REPLICAS_DIVERGED,
        /** --new_master_host names no alive replica. */
        NEW_MASTER_UNKNOWN,
        /** The requested new master cannot be one (no_master, errant transactions, no relay log to catch up from). */
        NEW_MASTER_NOT_ELIGIBLE,
        NO_CANDIDATE,
        /** A hook is configured wrong (missing, not executable). */
        HOOK_MISCONFIGURED,
        /** A hook exited with an error, or timed out. */
        HOOK_FAILED,
        /** Another failover or relay-log purge holds the failover lock. */
        LOCK_TAKEN,
        /** A replica's SQL thread stopped on an error. */
        REPLICA_SQL_ERROR,
        /** A replica of a switch is not replicating, or lags too far. */
        REPLICA_NOT_READY,
        /** A server did not apply what it must within the bound. */
        APPLY_TIMEOUT,
        /**
         * Replication or binary-log filters differ between the old and the new master: the servers would end up with
         * different data.
         */
        FILTERS_DIFFER,
        /** The operator did not answer yes to an interactive switch or failover. */
        NOT_CONFIRMED,
        /** A long update or query on a master of a switch would hold the write block. */
        LONG_RUNNING_QUERY,
        /**
         * The application's managers share it through ZooKeeper and this one does not lead it (any more): another
         * manager leads, or ZooKeeper has no quorum, or this manager's session ended. It changes nothing from here on.
         */
        NOT_LEADER
    }

    private final Code code;

    public Refusal(Code code, String reason) {
        super(reason);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
