package org.mha4j.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mha4j.config.AppConfig;
import org.mha4j.node.ClientTools;
import org.mha4j.testing.Snapshots;
import org.mha4j.topology.ServerLabels;

/** Issue 17: what MHA acts on and MHA4J cannot is refused with file:line; MHA's other keys have MHA's effect. */
class StartChecksTest {

    @Test
    void nodeLabelNamesTheServerInMessages() {
        AppConfig app = Snapshots.config("[server1]\nhostname=10.0.0.1\nnode_label=db-east-1\n[server2]\nhostname=10.0.0.2\n");
        assertThat(ServerLabels.label(app.servers().get(0))).isEqualTo("db-east-1 (10.0.0.1:3306)");
        assertThat(ServerLabels.label(app.servers().get(1))).isEqualTo("server2 (10.0.0.2:3306)");
    }

    @Test
    void clientLibdirIsTheClientProgramsLibraryPath() {
        String script = ClientTools.remoteApplyScript("/var/tmp/x.binlog", java.util.Optional.of("/opt/mysql/bin"),
                java.util.Optional.of("/opt/mysql/lib"), true);
        assertThat(script).contains("LD_LIBRARY_PATH=/opt/mysql/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; export LD_LIBRARY_PATH")
                .contains("[ -x /opt/mysql/bin/$n ]").contains("--disable-log-bin /var/tmp/x.binlog");
    }
}
