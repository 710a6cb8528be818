package org.mha4j.topology;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a server says about semi-synchronous replication. MySQL 8.0.26+ may use the source/replica plugin names;
 * {@link Dialect} maps either naming onto this record.
 *
 * @param available      the server can do semi-sync now (plugin loaded, or MariaDB 10.3+ where it is built in)
 * @param names          the variable and plugin names this server uses (or would use once the plugins are installed)
 * @param masterEnabled  {@code rpl_semi_sync_master_enabled} / {@code rpl_semi_sync_source_enabled}
 * @param replicaEnabled {@code rpl_semi_sync_slave_enabled} / {@code rpl_semi_sync_replica_enabled}
 * @param masterActive   live status {@code Rpl_semi_sync_master_status}: OFF once the master fell back to async
 * @param replicaActive  live status {@code Rpl_semi_sync_slave_status}: ON while this replica's IO thread is a semi-sync client
 * @param avgWaitMicros  {@code Rpl_semi_sync_master_tx_avg_wait_time}: what semi-sync costs each commit
 */
public record SemiSyncState(
        boolean available,
        SemiSyncNames names,
        boolean masterEnabled,
        boolean replicaEnabled,
        Optional<Boolean> masterActive,
        Optional<Boolean> replicaActive,
        OptionalLong clients,
        OptionalLong yesTx,
        OptionalLong noTx,
        OptionalLong avgWaitMicros,
        OptionalLong timeoutMs,
        Optional<String> waitPoint,
        OptionalLong waitForReplicaCount) {

    public static SemiSyncState unavailable(SemiSyncNames names) {
        return new SemiSyncState(false, names, false, false, Optional.empty(), Optional.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
                OptionalLong.empty());
    }

    public String describe() {
        if (!available) return "semi-sync not available (plugin not installed)";
        StringBuilder sb = new StringBuilder();
        sb.append("master side ").append(masterEnabled ? "ON" : "OFF");
        masterActive.ifPresent(a -> sb.append(" (status ").append(a ? "ON" : "OFF").append(')'));
        sb.append(", replica side ").append(replicaEnabled ? "ON" : "OFF");
        clients.ifPresent(c -> sb.append(", clients ").append(c));
        return sb.toString();
    }
}
