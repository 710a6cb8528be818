package org.mha4j.failover;

import java.util.Optional;

/**
 * The choices MHA's options and config keys make about a failover.
 *
 * @param newMasterHost  {@code --new_master_host[:port]}: promote exactly this server or refuse
 * @param skipSaveMasterBinlog MHA's {@code --skip_save_master_binlog}: do not fetch the dead master's binlog tail
 */
public record FailoverOptions(Optional<String> newMasterHost, Optional<Integer> newMasterPort, boolean skipSaveMasterBinlog) {
    public static final FailoverOptions DEFAULT = new FailoverOptions(Optional.empty(), Optional.empty(), false);
}
