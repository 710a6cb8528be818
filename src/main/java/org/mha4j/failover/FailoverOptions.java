package org.mha4j.failover;

import java.util.Optional;

/**
 * The choices MHA's options and config keys make about a failover.
 *
 * @param newMasterHost        {@code --new_master_host[:port]}: promote exactly this server or refuse
 * @param skipSaveMasterBinlog MHA's {@code --skip_save_master_binlog}: do not fetch the dead master's binlog tail
 * @param skipChangeMaster     MHA's {@code --skip_change_master}: replicas get the data, not the new master as source
 * @param skipDisableReadOnly  MHA's {@code --skip_disable_read_only}: the new master stays read-only
 */
public record FailoverOptions(Optional<String> newMasterHost, Optional<Integer> newMasterPort, boolean skipSaveMasterBinlog,
                              boolean skipChangeMaster, boolean skipDisableReadOnly) {
    public static final FailoverOptions DEFAULT = new FailoverOptions(Optional.empty(), Optional.empty(), false);

    public FailoverOptions(Optional<String> newMasterHost, Optional<Integer> newMasterPort, boolean skipSaveMasterBinlog) {
        this(newMasterHost, newMasterPort, skipSaveMasterBinlog, false, false);
    }
}
