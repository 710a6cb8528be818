package org.mha4j.semisync;

import java.util.OptionalInt;

/**
 * What {@code mha semisync enable} sets on the master.
 *
 * @param timeoutMs        {@code rpl_semi_sync_master_timeout}: how long a commit waits for an acknowledgement
 *                         before the master falls back to asynchronous replication
 * @param waitPoint        AFTER_SYNC (lossless: the commit is acknowledged before it is visible) or AFTER_COMMIT
 * @param waitForReplicas  MySQL's {@code wait_for_slave_count}; empty leaves it as it is (MariaDB has none)
 */
public record SemiSyncSettings(long timeoutMs, String waitPoint, OptionalInt waitForReplicas) {
    public static final String LOSSLESS = "AFTER_SYNC";
}
