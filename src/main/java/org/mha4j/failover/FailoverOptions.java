package org.mha4j.failover;

import java.util.Optional;

/**
 * The choices MHA's options and config keys make about a failover.
 *
 * @param newMasterHost  {@code --new_master_host[:port]}: promote exactly this server or refuse
 * @param masterSemiSyncWasOn whether the dead master's semi-sync status was ON at the last observation: then every
 *                       acknowledged transaction is on at least one replica, and the plan must keep all of them
 */
public record FailoverOptions(Optional<String> newMasterHost, Optional<Integer> newMasterPort, boolean masterSemiSyncWasOn) {
    public static final FailoverOptions DEFAULT = new FailoverOptions(Optional.empty(), Optional.empty(), true);
}
