package org.mha4j.topology;

import java.util.Map;
import java.util.Optional;
import org.mha4j.config.ServerConfig;

/**
 * Everything the decision core knows about one reachable server at one moment. Built by {@link ServerInspector};
 * tests build it by hand.
 */
public record ServerSnapshot(
        ServerConfig config,
        ServerVersion version,
        long serverId,
        Optional<String> serverUuid,
        boolean logBin,
        boolean logSlaveUpdates,
        boolean readOnly,
        Optional<Boolean> superReadOnly,
        String binlogFormat,
        GtidState gtid,
        Optional<ReplicaStatus> replica,
        BinlogFilters binlogFilters,
        SemiSyncState semiSync,
        Map<String, String> variables,
        Optional<ClockReading> clock) {

    public String name() {
        return config.block();
    }

    /** "server2 (127.0.0.1:3307)": how every message names a server. */
    public String label() {
        return ServerLabels.label(config);
    }

    public boolean isReplica() {
        return replica.isPresent();
    }
}
