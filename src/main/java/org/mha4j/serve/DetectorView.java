package org.mha4j.serve;

/**
 * The master's detector: the last check and, once it suspected the master, its verdict.
 *
 * @param code            the verdict's code (DeathVerdict.Code): MASTER_ALIVE while checks are answered, PING_FAILING
 *                        while some fail, then the verdict's own (DEAD_MASTER, MASTER_HUNG, MASTER_REACHABLE_BY_REPLICAS, ...)
 * @param failures        unanswered checks in a row
 * @param lastCheckMillis how long the last check took
 * @param lastCheckAt     ISO-8601 time of the last check; null before the first
 */
public record DetectorView(String code, String reason, int failures, Long lastCheckMillis, String lastCheckAt, Boolean semiSyncActive) {
    static final DetectorView NOT_STARTED = new DetectorView("NOT_MONITORING", "the manager is not watching a master", 0, null, null, null);
}
