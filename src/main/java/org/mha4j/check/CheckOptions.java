package org.mha4j.check;

/**
 * Options of {@code masterha_check_repl}.
 *
 * @param secondsBehindMaster MHA's {@code --seconds_behind_master}: replication lag above this is an error
 * @param ignoreFailOnStart   MHA's {@code --ignore_fail_on_start}: servers with {@code ignore_fail=1} may be down
 * @param minReplicas         alive replicas required; 1 as MHA (with a warning below two), 2 as the seed requires
 * @param monitoring          the manager's start rather than masterha_check_repl: as MHA's manager, it watches a
 *                            cluster whose replica is paused (threads stopped by hand) and warns; only a failed SQL
 *                            thread stops it, unless that server has ignore_fail=1 and --ignore_fail_on_start is given
 */
public record CheckOptions(int secondsBehindMaster, boolean ignoreFailOnStart, int minReplicas, boolean monitoring) {
    public static final CheckOptions DEFAULTS = new CheckOptions(30, false, 1);

    public CheckOptions(int secondsBehindMaster, boolean ignoreFailOnStart, int minReplicas) {
        this(secondsBehindMaster, ignoreFailOnStart, minReplicas, false);
    }

    /** What masterha_manager checks at start: lag and the seed's two-replica minimum matter to an operator's check, not here. */
    public static CheckOptions manager(boolean ignoreFailOnStart) {
        return new CheckOptions(Integer.MAX_VALUE, ignoreFailOnStart, 1, true);
    }
}
