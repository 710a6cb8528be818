package org.mha4j.promote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mha4j.testing.Cli;
import org.mha4j.workdir.WorkdirLock;

/** Two failovers or switches of one application on one host: the second is refused at once, before it reads anything. */
class ChangeLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondFailoverOrSwitchIsRefusedWhileOneHoldsTheLock() throws Exception {
        Path work = dir.resolve("work");
        Path conf = Files.writeString(dir.resolve("app1.conf"), "[server default]\nmanager_workdir=" + work + "\n"
                + "[server1]\nhostname=127.0.0.1\nport=1\n[server2]\nhostname=127.0.0.2\nport=1\n");
        Path global = Files.writeString(dir.resolve("g.cnf"), "");
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(new byte[0]));
        try (WorkdirLock held = WorkdirLock.tryTake(work, "app1.failover.lock").orElseThrow()) {
            Cli.Run dead = Cli.run("masterha_master_switch", "--master_state=dead", "--dead_master_host=127.0.0.1", "--dead_master_port=1",
                    "--interactive=0", "--conf=" + conf, "--global_conf=" + global);
            assertThat(dead.rc()).isEqualTo(1);
            assertThat(dead.out()).contains("another failover or switch of app1 is running on this host (pid " + ProcessHandle.current().pid() + ")")
                    .doesNotContain("is dead or unreadable");
            Cli.Run alive = Cli.run("masterha_master_switch", "--master_state=alive", "--interactive=0", "--conf=" + conf, "--global_conf=" + global);
            assertThat(alive.rc()).isEqualTo(1);
            assertThat(alive.out()).contains("another failover or switch of app1 is running").doesNotContain("is not reachable");
        } finally {
            System.setIn(in);
        }
        // free again: the same switch now gets as far as the servers
        Cli.Run after = Cli.run("masterha_master_switch", "--master_state=alive", "--interactive=0", "--conf=" + conf, "--global_conf=" + global);
        assertThat(after.out()).contains("is not reachable").doesNotContain("another failover");
    }
}
