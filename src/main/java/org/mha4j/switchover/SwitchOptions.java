package org.mha4j.switchover;

import java.time.Duration;
import java.util.Optional;

/**
 * MHA's options of {@code masterha_master_switch --master_state=alive}.
 *
 * @param runningUpdatesLimit refuse when a write on the current master has run longer (MHA's default 1 s)
 * @param runningSecondsLimit refuse when any query on the new master has run longer (MHA's default 10 s)
 * @param writeBlockLimit     the longest the new master may take, while writes are blocked, to apply the old master's last
 *                            transactions; then the switch rolls back (MHA4J; MHA waits for ever)
 */
public record SwitchOptions(Optional<String> newMasterHost, Optional<Integer> newMasterPort, boolean origMasterIsNewSlave,
                            int runningUpdatesLimit, int runningSecondsLimit, int secondsBehindMaster, boolean checkOnly,
                            boolean removeOrigMasterConf, Duration gtidWait, Duration writeBlockLimit) {
    public static final Duration DEFAULT_WRITE_BLOCK_LIMIT = Duration.ofSeconds(10);
    /** MHA's defaults of --running_updates_limit, --running_seconds_limit and --seconds_behind_master. */
    public static final int RUNNING_UPDATES_LIMIT = 1;
    public static final int RUNNING_SECONDS_LIMIT = 10;
    public static final int SECONDS_BEHIND_MASTER = 30;
}
