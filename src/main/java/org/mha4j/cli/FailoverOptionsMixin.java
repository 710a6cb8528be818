package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.util.Optional;
import org.mha4j.failover.FailoverOptions;
import picocli.CommandLine.Option;

/** MHA's failover options, shared by masterha_manager and masterha_master_switch --master_state=dead. */
final class FailoverOptionsMixin {
    @Option(names = "--new_master_host", paramLabel = "HOST", description = "Promote this server, or refuse.")
    String newMasterHost;
    @Option(names = "--new_master_port", converter = Numbers.Port.class, paramLabel = "PORT")
    Integer newMasterPort;
    @Option(names = "--skip_save_master_binlog", description = "Do not save the dead master's binlog events over SSH.")
    boolean skipSaveMasterBinlog;
    @Option(names = "--skip_change_master", description = "Bring the replicas up to the new master's data, but do not re-point them"
            + " (no CHANGE MASTER, no START SLAVE, the new master keeps its replica settings).")
    boolean skipChangeMaster;
    @Option(names = "--skip_disable_read_only", description = "Leave read_only=1 on the new master.")
    boolean skipDisableReadOnly;

    /** --new_master_host must name a server of the config, or the failover would be refused only once the master died. */
    Optional<String> problem(org.mha4j.config.AppConfig app) {
        if (newMasterHost == null) return Optional.empty();
        return app.find(newMasterHost, Optional.ofNullable(newMasterPort)).isPresent() ? Optional.empty() : Optional.of("--new_master_host=" + Problems.shorten(newMasterHost)
                + (newMasterPort == null ? "" : " --new_master_port=" + newMasterPort) + " is not a server of " + app.file()
                + "; nothing changed");
    }

    FailoverOptions options() {
        return new FailoverOptions(Optional.ofNullable(newMasterHost), Optional.ofNullable(newMasterPort), skipSaveMasterBinlog,
                skipChangeMaster, skipDisableReadOnly);
    }
}
