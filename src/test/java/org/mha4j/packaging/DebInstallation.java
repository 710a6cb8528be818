package org.mha4j.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb the build made, installed on this machine as an operator would (run by failsafe, after `mvn package`): the
 * commands work from /usr/bin with the package's own Java runtime, the man pages and completions are where man and bash
 * look, the systemd unit's ExecStart line runs, and removing the package leaves nothing behind.
 */
class DebInstallation {
    @TempDir
    Path tmp;

    record Run(int rc, String out) {}

    private static Run run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static Path builtDeb() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(f -> f.getFileName().toString().matches("mha4j_.*_amd64\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/mha4j_*_amd64.deb: scripts/package.sh did not build it"));
        }
    }

    @Test
    void theDebInstallsWorksAndRemovesCleanly() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "needs dpkg");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "installing a package needs root");
        Assumptions.assumeFalse(Files.exists(Path.of("/usr/bin/mha")) && run("dpkg", "-S", "/usr/bin/mha").rc() != 0,
                "/usr/bin/mha belongs to something else here");
        Path deb = builtDeb();
        Path conf = Path.of("/etc/mha/mha4j-install-test.conf");
        boolean etcMhaExisted = Files.isDirectory(conf.getParent());
        try {
            Run install = run("dpkg", "-i", deb.toString());
            assertThat(install.rc()).as(install.out()).isZero();

            Run version = run("/usr/bin/masterha_check_repl", "--version");
            assertThat(version.rc()).as(version.out()).isZero();
            assertThat(version.out()).contains("MHA4J").doesNotContain("dev");
            // its own runtime, not whatever Java this machine has
            Run which = run("env", "-u", "JAVA_HOME", "PATH=/usr/bin:/bin", "/usr/bin/mha", "--version");
            assertThat(which.rc()).as(which.out()).isZero();

            Path page = Path.of("/usr/share/man/man1/masterha_manager.1.gz");
            assertThat(page).exists();
            if (Files.isExecutable(Path.of("/usr/bin/man"))) {
                Run man = run("env", "MANPAGER=cat", "MANWIDTH=100", "man", "masterha_manager");
                assertThat(man.rc()).as(man.out()).isZero();
                assertThat(man.out()).contains("masterha_manager").contains("--conf");
            }
            Run complete = run("bash", "-c", "source /usr/share/bash-completion/completions/masterha_manager && complete -p masterha_manager");
            assertThat(complete.rc()).as(complete.out()).isZero();

            // the unit's ExecStart, run as systemd would start mha-manager@mha4j-install-test (without systemd here)
            String unit = Files.readString(Path.of("/lib/systemd/system/mha-manager@.service"));
            String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length())
                    .replace("%i", "mha4j-install-test");
            Files.createDirectories(conf.getParent());
            Files.writeString(conf, "[server default]\nmanager_workdir=" + tmp + "\n[server1]\nhostname=127.0.0.1\nport=1\n"
                    + "[server2]\nhostname=127.0.0.2\nport=1\n");
            List<String> cmd = new ArrayList<>(List.of(exec.split(" ")));
            Run manager = run(cmd.toArray(String[]::new));
            assertThat(manager.rc()).as(manager.out()).isEqualTo(1);
            assertThat(manager.out()).contains("server1 (127.0.0.1:1)").contains("not reachable").contains("cannot start");

            Run remove = run("dpkg", "-r", "mha4j");
            assertThat(remove.rc()).as(remove.out()).isZero();
            assertThat(Path.of("/usr/bin/mha")).doesNotExist();
            assertThat(Path.of("/usr/share/mha4j")).doesNotExist();
            assertThat(page).doesNotExist();
            assertThat(Path.of("/lib/systemd/system/mha-manager@.service")).doesNotExist();
        } finally {
            run("dpkg", "-r", "mha4j");
            Files.deleteIfExists(conf);
            if (!etcMhaExisted) Files.deleteIfExists(conf.getParent());
        }
    }
}
