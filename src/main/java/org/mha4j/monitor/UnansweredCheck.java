package org.mha4j.monitor;

import java.time.Duration;
import org.mha4j.topology.ConnectFailure;

/**
 * The monitor's last check of the master, which went unanswered: the failover's Phase 1 takes it for its own check of
 * the dead master while it is fresh.
 *
 * @param atNanos when it ended ({@link System#nanoTime})
 * @param failure how it failed
 */
public record UnansweredCheck(long atNanos, ConnectFailure failure) {
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - atNanos);
    }
}
