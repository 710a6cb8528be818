package org.mha4j.cli;

import java.util.Optional;
import org.mha4j.failover.FailoverOptions;
import picocli.CommandLine.Option;

/** MHA's failover options, shared by masterha_manager and masterha_master_switch --master_state=dead. */
final class FailoverOptionsMixin {
    @Option(names = "--new_master_host", paramLabel = "HOST", description = "Promote this server, or refuse.")
    String newMasterHost;
    @Option(names = "--new_master_port", paramLabel = "PORT")
    Integer newMasterPort;
    @Option(names = "--skip_save_master_binlog", description = "Do not save the dead master's binlog events over SSH.")
    boolean skipSaveMasterBinlog;
    @Option(names = "--skip_change_master", description = "Bring the replicas up to the new master's data, but do not re-point them"
            + " (no CHANGE MASTER, no START SLAVE, the new master keeps its replica settings).")
    boolean skipChangeMaster;
    @Option(names = "--skip_disable_read_only", description = "Leave read_only=1 on the new master.")
    boolean skipDisableReadOnly;

    FailoverOptions options() {
        return new FailoverOptions(Optional.ofNullable(newMasterHost), Optional.ofNullable(newMasterPort), skipSaveMasterBinlog,
                skipChangeMaster, skipDisableReadOnly);
    }
}
