package org.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.mha4j.testing.Cli;
import org.mha4j.sandbox.LocalSshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH against a real private OpenSSH daemon: MINA client, the all-pairs mesh, and masterha_check_ssh end to end. */
@Tag("integration")
class SshIT {

    @TempDir
    static Path tmp;
    static LocalSshd sshd;

    @BeforeAll
    static void start() {
        sshd = LocalSshd.start(tmp.resolve("sshd"), 0);
    }

    @AfterAll
    static void stop() {
        sshd.stop();
    }

    private static SshOptions opts() {
        return SshOptions.fromMhaOptions(sshd.sshOptions(), 5);
    }

    private static SshTarget target(String name, int port) {
        return new SshTarget(name, "127.0.0.1", port, sshd.user());
    }

    @Test
    void optionsAreReadFromMhasSshOptions() {
        SshOptions o = opts();
        assertThat(o.identityFiles()).containsExactly(sshd.clientKey());
        assertThat(o.knownHosts()).hasValue(sshd.knownHosts());
        assertThat(o.strictHostKeyChecking()).isEmpty();
        assertThat(SshOptions.fromMhaOptions("-o StrictHostKeyChecking=yes -oIdentityFile=/k", 3))
                .satisfies(s -> {
                    assertThat(s.strictHostKeyChecking()).hasValue("yes");
                    assertThat(s.identityFiles()).containsExactly(Path.of("/k"));
                    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void execReturnsOutputAndExitCode() throws SshFailure {
        try (RemoteShell sh = new RemoteShell(opts())) {
            ExecResult r = sh.exec(target("server1", sshd.port()), "echo hi; echo oops >&2; exit 3", Duration.ofSeconds(10));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("hi\n");
            assertThat(r.stderr()).isEqualTo("oops\n");
        }
    }

    @Test
    void refusedConnectionNamesTheTargetAndTheFix() throws IOException {
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int port = closed;
        try (RemoteShell sh = new RemoteShell(opts())) {
            assertThatThrownBy(() -> sh.exec(target("server9", port), "exit 0", Duration.ofSeconds(5)))
                    .isInstanceOf(SshFailure.class)
                    .hasMessageStartingWith("server9 (" + sshd.user() + "@127.0.0.1:" + port + "): connection refused")
                    .hasMessageContaining("check ssh_host/ssh_port");
        }
    }

    @Test
    void aKeyThatIsNotAuthorisedIsRejectedClearly() throws Exception {
        Path other = tmp.resolve("other_key");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).start();
        assertThat(p.waitFor()).isZero();
        SshOptions wrong = SshOptions.fromMhaOptions("-i " + other + " -o UserKnownHostsFile=" + sshd.knownHosts(), 5);
        try (RemoteShell sh = new RemoteShell(wrong)) {
            assertThatThrownBy(() -> sh.exec(target("server1", sshd.port()), "exit 0", Duration.ofSeconds(5)))
                    .hasMessageContaining("authentication rejected for user " + sshd.user())
                    .hasMessageContaining(other.toString());
        }
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        Path known = tmp.resolve("known_hosts_wrong");
        Path otherHost = tmp.resolve("other_host_key");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherHost.toString()).start();
        assertThat(p.waitFor()).isZero();
        String[] pub = Files.readString(otherHost.resolveSibling("other_host_key.pub")).split(" ");
        Files.writeString(known, "[127.0.0.1]:" + sshd.port() + " " + pub[0] + " " + pub[1] + "\n");
        SshOptions o = SshOptions.fromMhaOptions("-i " + sshd.clientKey() + " -o UserKnownHostsFile=" + known, 5);
        try (RemoteShell sh = new RemoteShell(o)) {
            assertThatThrownBy(() -> sh.exec(target("server1", sshd.port()), "exit 0", Duration.ofSeconds(5)))
                    .isInstanceOf(SshFailure.class).hasMessageContaining("server1").hasMessageContaining("differs from its entry in " + known)
                    .hasMessageNotContaining("unknown host key");
        }
        // whatever StrictHostKeyChecking says
        SshOptions lax = SshOptions.fromMhaOptions("-i " + sshd.clientKey() + " -o UserKnownHostsFile=" + known + " -o StrictHostKeyChecking=no", 5);
        try (RemoteShell sh = new RemoteShell(lax)) {
            assertThatThrownBy(() -> sh.exec(target("server1", sshd.port()), "exit 0", Duration.ofSeconds(5))).hasMessageContaining("differs");
        }
    }

    /** A host not in known_hosts is refused by default, as OpenSSH refuses it in batch mode; accept-new adds it. */
    @Test
    void anUnknownHostKeyIsRefusedUnlessNewHostsAreAccepted() throws Exception {
        Path known = Files.writeString(tmp.resolve("known_hosts_empty"), "");
        SshOptions strict = SshOptions.fromMhaOptions("-i " + sshd.clientKey() + " -o UserKnownHostsFile=" + known, 5);
        try (RemoteShell sh = new RemoteShell(strict)) {
            assertThatThrownBy(() -> sh.exec(target("server1", sshd.port()), "exit 0", Duration.ofSeconds(5)))
                    .isInstanceOf(SshFailure.class).hasMessageContaining("unknown host key").hasMessageContaining(known.toString())
                    .hasMessageContaining("ssh-keyscan -p " + sshd.port() + " 127.0.0.1").hasMessageNotContaining("differs");
        }
        assertThat(Files.readString(known)).isEmpty();
        SshOptions acceptNew = SshOptions.fromMhaOptions("-i " + sshd.clientKey() + " -o UserKnownHostsFile=" + known
                + " -o StrictHostKeyChecking=accept-new", 5);
        try (RemoteShell sh = new RemoteShell(acceptNew)) {
            assertThat(sh.exec(target("server1", sshd.port()), "exit 0", Duration.ofSeconds(5)).exitCode()).isZero();
        }
        assertThat(Files.readString(known)).contains("[127.0.0.1]:" + sshd.port());
        try (RemoteShell sh = new RemoteShell(strict)) {
            assertThat(sh.exec(target("server1", sshd.port()), "exit 0", Duration.ofSeconds(5)).exitCode()).as("known now").isZero();
        }
    }

    /**
     * The key and known_hosts named only in ~/.ssh/config (as OpenSSH and MHA allow), ssh_options empty: 50 logins at
     * once all find them (MINA's shared config resolver lost them at random under concurrent logins).
     */
    @Test
    void aKeyNamedOnlyInSshConfigServesFiftyConcurrentLogins() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home/.ssh")).getParent();
        Files.writeString(home.resolve(".ssh/config"), "Host other.example\n    IdentityFile /nonexistent\n\nHost 127.0.0.1\n    IdentityFile "
                + sshd.clientKey() + "\n    UserKnownHostsFile " + sshd.knownHosts() + "\n    StrictHostKeyChecking yes\n");
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            SshOptions none = SshOptions.fromMhaOptions("", 5);
            assertThat(none.identityFiles()).isEmpty();
            try (RemoteShell sh = new RemoteShell(none);
                 var pool = java.util.concurrent.Executors.newFixedThreadPool(50)) {
                List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    runs.add(pool.submit(() -> sh.exec(target("server1", sshd.port()), "exit 0", Duration.ofSeconds(20)).exitCode()));
                }
                for (var r : runs) assertThat(r.get()).isZero();
            }
        } finally {
            System.setProperty("user.home", before);
        }
    }

    @Test
    void meshWithOneUnreachableHostReportsEachFailingPairOnce() {
        List<SshTarget> targets = List.of(target("server1", sshd.port()), target("server2", sshd.port()), target("server3", 1));
        try (RemoteShell sh = new RemoteShell(opts())) {
            List<SshPairResult> r = new SshMeshCheck(sh, opts()).run(targets);
            assertThat(r).hasSize(3 + 6);
            List<String> failed = r.stream().filter(x -> !x.ok()).map(SshPairResult::describe).toList();
            assertThat(failed).hasSize(5);
            assertThat(failed).anySatisfy(l -> assertThat(l).startsWith("manager -> server3").contains("connection refused"));
            assertThat(failed).anySatisfy(l -> assertThat(l).startsWith("server1 (").contains("-> server3").contains("Connection refused"));
            assertThat(failed).anySatisfy(l -> assertThat(l).startsWith("server3 (").contains("not tested"));
            assertThat(r.stream().filter(SshPairResult::ok).map(x -> x.from().map(SshTarget::name).orElse("manager") + ">" + x.to().name()))
                    .containsExactlyInAnyOrder("manager>server1", "manager>server2", "server1>server2", "server2>server1");
        }
    }

    @Test
    void masterhaCheckSshOnAConfigEndToEnd() throws IOException {
        String conf = "[server default]\nssh_user=" + sshd.user() + "\nssh_port=" + sshd.port()
                + "\nssh_options=\"" + sshd.sshOptions() + "\"\n"
                + "[server1]\nhostname=127.0.0.1\nport=3306\n[server2]\nhostname=127.0.0.1\nport=3307\n";
        Path ok = Files.writeString(tmp.resolve("ssh-ok.conf"), conf);
        Path bad = Files.writeString(tmp.resolve("ssh-bad.conf"), conf + "[server3]\nhostname=127.0.0.1\nport=3308\nssh_port=1\n");
        Path global = Files.writeString(tmp.resolve("global.cnf"), "");
        Cli.Run good = Cli.run("masterha_check_ssh", "--conf=" + ok, "--global_conf=" + global);
        assertThat(good.rc()).as(good.out()).isZero();
        assertThat(good.out()).contains("All SSH connection tests passed successfully.");
        Cli.Run failed = Cli.run("masterha_check_ssh", "--conf=" + bad, "--global_conf=" + global);
        assertThat(failed.rc()).isEqualTo(1);
        assertThat(failed.out()).contains("5 of 9 SSH connection tests failed.").contains("SSH Configuration Check Failed!")
                .contains("[error] manager -> server3 (" + sshd.user() + "@127.0.0.1:1): connection refused");
    }

}
