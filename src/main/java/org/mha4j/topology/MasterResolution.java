package org.mha4j.topology;

import java.util.List;
import java.util.Optional;
import org.mha4j.config.ServerConfig;

/** Who the master is, as MHA decides it: the server the others replicate from. */
public sealed interface MasterResolution {

    /**
     * @param masterSnapshot empty when the master did not answer (dead, or unreachable from here)
     * @param replicas       alive servers replicating from the master, config order
     * @param unmanaged      third-tier replicas, allowed only with {@code multi_tier_slave=1}; never recovered
     */
    record Resolved(ServerConfig master, Optional<ServerSnapshot> masterSnapshot, List<ServerSnapshot> replicas,
                    List<ServerSnapshot> unmanaged) implements MasterResolution {
        public boolean masterAlive() {
            return masterSnapshot.isPresent();
        }
    }

    /** The servers do not form one master with its replicas; {@code problems} say why, {@code map} who replicates from whom. */
    record Unresolved(List<String> problems, List<String> map) implements MasterResolution {}
}
