package org.mha4j.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13/17: one runner for the programs the manager starts; a bound that holds, and nothing left running. */
class ProcessRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void aProgramWhoseChildKeepsTheOutputOpenIsStillBoundedAndItsChildrenKilled() throws Exception {
        Path pid = tmp.resolve("child.pid");
        // the child inherits stdout and outlives the shell's own work: reading the output to its end would never return
        ProcessRunner.Result r = ProcessRunner.shell("echo started; sleep 300 & echo $! > " + pid + "; wait", Map.of(), Duration.ofSeconds(1));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.ok()).isFalse();
        assertThat(r.stdout()).contains("started");
        long child = Long.parseLong(Files.readString(pid).strip());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void outputStdinEnvironmentAndExitCodeArePassed() throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(List.of("/bin/sh", "-c", "read -r x; echo \"$x $GREETING\"; echo oops >&2; exit 3"),
                Map.of("GREETING", "world"), "hello\n", Duration.ofSeconds(30), false);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout().strip()).isEqualTo("hello world");
        assertThat(r.stderr().strip()).isEqualTo("oops");
        assertThat(r.timedOut()).isFalse();
    }
}
