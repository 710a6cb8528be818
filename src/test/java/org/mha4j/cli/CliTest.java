package org.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mha4j.testing.Cli;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: MHA's option syntax, closing lines, exit codes, no passwords. */
class CliTest {

    @TempDir
    Path dir;

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    @Test
    void helpListsTheCommandsAndHidesTheMhaAliases() {
        Cli.Run r = run("--help");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("check").contains("sandbox").contains("config").doesNotContainPattern("(?m)^\\s+masterha_");
        assertThat(run("masterha_check_repl", "--help").out()).contains("--conf=FILE").contains("--seconds_behind_master=N")
                .contains("MySQL Replication Health is OK.");
    }

    @Test
    void aBadConfigIsNotOkWithFileAndLine() throws IOException {
        Path conf = Files.writeString(dir.resolve("app1.conf"), "[server default]\npassword=Zq9secret\npasword=x\n[server1]\nhostname=h\n");
        Path global = Files.writeString(dir.resolve("g.cnf"), "");
        Cli.Run r = run("masterha_check_repl", "--conf=" + conf, "--global_conf", global.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains("[error] " + conf + ":3: unknown parameter \"pasword\" — did you mean \"password\"?")
                .endsWith("MySQL Replication Health is NOT OK!\n").doesNotContain("Zq9secret");
    }

    @Test
    void unknownOptionsAreIgnoredWithAWarningAsMhaDoes() throws IOException {
        Path conf = Files.writeString(dir.resolve("app1.conf"), "[server1]\nhostname=127.0.0.1\nport=1\n[server2]\nhostname=127.0.0.2\nport=1\n");
        Path global = Files.writeString(dir.resolve("g.cnf"), "");
        Cli.Run r = run("masterha_check_repl", "--conf=" + conf, "--global_conf=" + global, "--interactive=0");
        assertThat(r.out()).contains("[warning] Ignoring unknown option(s): --interactive=0")
                .contains("not reachable: connection refused").contains("MySQL Replication Health is NOT OK!");
        assertThat(r.rc()).isEqualTo(1);
    }

    @Test
    void configShowMasksPasswords() throws IOException {
        Path conf = Files.writeString(dir.resolve("app1.conf"), "[server default]\npassword=Zq9secret\nrepl_password=Rp1secret\n[server1]\nhostname=h\n");
        Path global = Files.writeString(dir.resolve("g.cnf"), "");
        Cli.Run r = run("config", "show", "--conf=" + conf, "--global_conf=" + global);
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("[server1]").contains("password=******").contains("port=3306  # default")
                .doesNotContain("Zq9secret").doesNotContain("Rp1secret");
        assertThat(run("config", "show", "--conf=" + dir.resolve("missing.conf"), "--global_conf=" + global).err())
                .contains("missing.conf: file not found");
    }

    @Test
    void confHostAddThenDeleteLeavesTheFileByteIdentical() throws IOException, java.net.URISyntaxException {
        Path conf = dir.resolve("app1.conf");
        Files.copy(Path.of(getClass().getResource("/seed/app1.conf").toURI()), conf);
        byte[] before = Files.readAllBytes(conf);
        Cli.Run add = run("masterha_conf_host", "--command=add", "--conf=" + conf, "--hostname=10.1.1.40", "--block=server4",
                "--params=port=3306;candidate_master=1;no_master=0");
        assertThat(add.rc()).as(add.err()).isZero();
        assertThat(Files.readString(conf)).endsWith("[server4]\nhostname=10.1.1.40\nport=3306\ncandidate_master=1\nno_master=0\n");
        assertThat(run("masterha_conf_host", "--command=add", "--conf=" + conf, "--hostname=x", "--block=server5",
                "--params=prot=1").err()).contains("did you mean \"port\"");
        Cli.Run del = run("masterha_conf_host", "--command=delete", "--conf=" + conf, "--block=server4");
        assertThat(del.rc()).isZero();
        assertThat(Files.readAllBytes(conf)).isEqualTo(before);
        Cli.Run again = run("masterha_conf_host", "--command=delete", "--conf=" + conf, "--block=server4");
        assertThat(again.rc()).isZero();
        assertThat(again.out()).contains("Entry [server4] not found");
    }

    @Test
    void everyCommandAnswersABadConfigWithFileAndLine() throws IOException {
        Path conf = Files.writeString(dir.resolve("app1.conf"), "[server1]\nhostname=h\nping_type=icmp\n");
        Path global = Files.writeString(dir.resolve("g.cnf"), "");
        for (String[] cmd : new String[][]{{"masterha_manager"}, {"masterha_master_switch", "--master_state=alive"},
                {"masterha_master_monitor"}, {"semisync", "status"}, {"semisync", "enable"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(cmd),
                    java.util.stream.Stream.of("--conf=" + conf, "--global_conf=" + global)).toArray(String[]::new);
            Cli.Run r = run(args);
            assertThat(r.rc()).as(String.join(" ", cmd)).isEqualTo(1);
            assertThat(r.out()).as(String.join(" ", cmd)).contains("[error] " + conf + ":3: ping_type must be SELECT, CONNECT or INSERT, not \"icmp\"");
        }
    }
}
