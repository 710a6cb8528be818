package org.mha4j.failover;

import java.time.Instant;
import java.util.Optional;
import org.mha4j.config.ServerConfig;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.Step;

/**
 * What a failover shares with the application's other managers when they coordinate through ZooKeeper: whether this
 * manager may still change servers, the journal of the failover step by step, and the last completed failover (for
 * last_failover_minute across hosts). {@link #NONE} when a manager leads alone, as MHA's does.
 */
public interface Coordination {
    Coordination NONE = new Coordination() {};

    /** A failover completed by some manager of the application; {@code at} is ISO-8601 (it is stored as JSON). */
    record Last(String at, String dead, String newMaster, String manager) {
        public Instant instant() {
            return Instant.parse(at);
        }
    }

    /** @throws Refusal {@code NOT_LEADER}: another manager leads, or this one cannot prove it still does */
    default void ensureLeader() throws Refusal {}

    default Optional<Last> lastCompleted() {
        return Optional.empty();
    }

    default void started(ServerConfig dead) {}

    default void stepEnded(Step step) {}

    default void ended(ServerConfig dead, FailoverRunner.Result result) {}
}
