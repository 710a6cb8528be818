package org.mha4j.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;

/**
 * Issue 17: hooks written for MHA (its sample scripts read --new_master_password and --orig_master_password) get
 * MHA's exact arguments, passwords included, by default; with hook_password_mode=env none is on their command line.
 * Either way the passwords are in the environment, and never in MHA4J's log or failover record.
 */
class HookContractIT extends SandboxTest {

    private Path recorder(String name) throws Exception {
        Path script = tmp.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\necho \"$@ env=${MHA_NEW_MASTER_PASSWORD:+set}\" >> " + tmp.resolve(name + ".calls") + "\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private List<String> calls(String name) throws Exception {
        return Files.readAllLines(tmp.resolve(name + ".calls"));
    }

    private Cli.Run switchTo(int node) throws Exception {
        return Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive", "--orig_master_is_new_slave",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(node).port(), "--interactive=0");
    }

    @Test
    void hooksGetMhasArgumentsWithPasswordsByDefaultAndNoneWithEnvMode() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        String pw = sb.adminPassword();
        String conf = Files.readString(sb.configFile());
        Files.writeString(sb.configFile(), conf.replace("[server default]\n", "[server default]\nmaster_ip_online_change_script="
                + recorder("online") + "\nmaster_ip_failover_script=" + recorder("failover") + "\n"));
        int p1 = sb.node(1).port();
        int p2 = sb.node(2).port();

        Cli.Run mha = switchTo(2);
        assertThat(mha.rc()).as(mha.out()).isZero();
        assertThat(calls("online")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(calls("online").get(i)).startsWith("--command=" + (i == 0 ? "stop" : "start") + " --orig_master_host=127.0.0.1"
                            + " --orig_master_ip=127.0.0.1 --orig_master_port=" + p1 + " --orig_master_user=mha --new_master_host=127.0.0.1"
                            + " --new_master_ip=127.0.0.1 --new_master_port=" + p2 + " --new_master_user=mha --orig_master_ssh_user=")
                    .endsWith("--orig_master_is_new_slave --orig_master_password=" + pw + " --new_master_password=" + pw + " env=set");
        }
        assertThat(mha.out()).contains("--orig_master_password=****** --new_master_password=******").doesNotContain(pw);

        Files.writeString(sb.configFile(), Files.readString(sb.configFile()).replace("[server default]\n", "[server default]\nhook_password_mode=env\n"));
        Cli.Run env = switchTo(1);
        assertThat(env.rc()).as(env.out()).isZero();
        assertThat(calls("online")).hasSize(4);
        assertThat(calls("online").subList(2, 4)).allSatisfy(line -> assertThat(line).doesNotContain(pw).doesNotContain("password")
                .endsWith("--orig_master_is_new_slave env=set"));
        Files.writeString(sb.configFile(), Files.readString(sb.configFile()).replace("hook_password_mode=env\n", ""));

        assertThat(Cli.run("masterha_check_repl", "--conf=" + sb.configFile(), global()).out())
                .contains("hooks get passwords on their command line").contains("hook_password_mode=env");

        sb.killNode(1);
        Cli.Run failover = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=dead",
                "--dead_master_host=127.0.0.1", "--dead_master_port=" + p1, "--interactive=0");
        assertThat(failover.rc()).as(failover.out()).isZero();
        assertThat(calls("failover").stream().filter(l -> l.contains("--command=start"))).singleElement().asString()
                .contains("--new_master_user=mha").endsWith("--new_master_password=" + pw + " env=set");
        assertThat(failover.out()).contains("--new_master_password=******").doesNotContain(pw);
        try (var files = Files.list(sb.dir().resolve("manager"))) {
            for (Path record : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                assertThat(Files.readString(record)).as(record.toString()).doesNotContain(pw);
            }
        }
    }

    /**
     * hook_timeout bounds a hook that hangs: it and what it started are killed, the switch is refused with the bound named,
     * and the master stays the master (the write block is lifted).
     */
    @Test
    void aHangingHookIsKilledAfterHookTimeoutAndTheSwitchRefused() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Path pidFile = tmp.resolve("hook.pid");
        Path script = tmp.resolve("hang.sh");
        Files.writeString(script, "#!/bin/sh\ncase \"$*\" in *--command=stop*) sleep 600 & echo $! > " + pidFile + "; wait;; esac\nexit 0\n");
        script.toFile().setExecutable(true);
        Files.writeString(sb.configFile(), Files.readString(sb.configFile()).replace("[server default]\n", "[server default]\nhook_timeout=2\n"
                + "master_ip_online_change_script=" + script + "\n"));
        Cli.Run r = switchTo(2);
        assertThat(r.rc()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("master_ip_online_change_script failed with a timeout after 2 s (hook_timeout");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        assertThat(sb.value(1, "SELECT @@read_only")).isEqualTo("0");
        assertThat(sb.value(2, "SELECT @@read_only")).isEqualTo("1");
    }
}
