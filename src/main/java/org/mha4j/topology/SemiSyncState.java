package org.mha4j.topology;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a server says about semi-synchronous replication. MySQL 8.0.26+ may use the source/replica plugin names;
 * {@link Dialect} maps either naming onto this record.
 *
 * @param available      the server can do semi-sync at all (plugin loaded, or MariaDB 10.3+ where it is built in)
 * @param masterEnabled  {@code rpl_semi_sync_master_enabled} / {@code rpl_semi_sync_source_enabled}
 * @param replicaEnabled {@code rpl_semi_sync_slave_enabled} / {@code rpl_semi_sync_replica_enabled}
 * @param masterActive   live status {@code Rpl_semi_sync_master_status}: OFF once the master fell back to async
 */
public record SemiSyncState(
        boolean available,
        boolean masterEnabled,
        boolean replicaEnabled,
        Optional<Boolean> masterActive,
        OptionalLong clients,
        OptionalLong yesTx,
        OptionalLong noTx,
        OptionalLong timeoutMs,
        Optional<String> waitPoint) {

    public static final SemiSyncState UNAVAILABLE = new SemiSyncState(false, false, false, Optional.empty(),
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty());

    public String describe() {
        if (!available) return "semi-sync not available";
        StringBuilder sb = new StringBuilder();
        sb.append("master side ").append(masterEnabled ? "ON" : "OFF");
        masterActive.ifPresent(a -> sb.append(" (status ").append(a ? "ON" : "OFF").append(')'));
        sb.append(", replica side ").append(replicaEnabled ? "ON" : "OFF");
        clients.ifPresent(c -> sb.append(", clients ").append(c));
        return sb.toString();
    }
}
