package org.mha4j.check;

/**
 * Options of {@code masterha_check_repl}.
 *
 * @param secondsBehindMaster MHA's {@code --seconds_behind_master}: replication lag above this is an error
 * @param ignoreFailOnStart   MHA's {@code --ignore_fail_on_start}: servers with {@code ignore_fail=1} may be down
 * @param minReplicas         alive replicas required; 2 as the seed requires, 1 for MHA's own rule
 */
public record CheckOptions(int secondsBehindMaster, boolean ignoreFailOnStart, int minReplicas) {
    public static final CheckOptions DEFAULTS = new CheckOptions(30, false, 2);
}
