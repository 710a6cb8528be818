package org.mha4j.monitor;

import java.util.Optional;

/**
 * What the monitor saw, for whoever shows it (mha serve's API, metrics and health checks). Called on the monitor's
 * thread after each check: an implementation must return at once and never throw.
 */
public interface MonitorEvents {
    MonitorEvents NONE = new MonitorEvents() {};

    /**
     * One check of the master.
     *
     * @param answered       the master answered the check
     * @param millis         how long the check took
     * @param failures       unanswered checks in a row, this one included
     * @param semiSyncActive the master's Rpl_semi_sync_master_status, when it answered and told
     */
    default void checked(boolean answered, long millis, int failures, Optional<Boolean> semiSyncActive) {}

    /**
     * One replica as the monitor sampled it (with every check under detection=fast, else when the master is suspected).
     *
     * @param status its replication status; empty when it is no replica, or when it could not be asked
     * @param error  why it could not be asked; null when it answered
     */
    default void replicaSampled(org.mha4j.config.ServerConfig replica, Optional<org.mha4j.topology.ReplicaStatus> status, String error) {}

    /** The detector's verdict once it suspected the master: failover or not, with its code. */
    default void judged(DeathVerdict.Verdict verdict) {}
}
