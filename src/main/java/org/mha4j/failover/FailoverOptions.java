package org.mha4j.failover;

import java.util.Optional;

/**
 * The choices MHA's options and config keys make about a failover.
 *
 * @param newMasterHost  {@code --new_master_host[:port]}: promote exactly this server or refuse
 * @param masterSemiSyncWasOn whether the dead master's semi-sync status was ON at the last observation: then every
 *                       acknowledged transaction is on at least one replica, and the plan must keep all of them
 * @param skipSaveMasterBinlog MHA's {@code --skip_save_master_binlog}: do not fetch the dead master's binlog tail
 */
public record FailoverOptions(Optional<String> newMasterHost, Optional<Integer> newMasterPort, boolean masterSemiSyncWasOn,
                              boolean skipSaveMasterBinlog) {
    public FailoverOptions(Optional<String> newMasterHost, Optional<Integer> newMasterPort, boolean masterSemiSyncWasOn) {
        this(newMasterHost, newMasterPort, masterSemiSyncWasOn, false);
    }

    /** The same choices with what was observed of the dead master's semi-sync. */
    public FailoverOptions withMasterSemiSyncWasOn(boolean on) {
        return new FailoverOptions(newMasterHost, newMasterPort, on, skipSaveMasterBinlog);
    }

    public static final FailoverOptions DEFAULT = new FailoverOptions(Optional.empty(), Optional.empty(), true);
}
