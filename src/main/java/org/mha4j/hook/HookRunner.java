package org.mha4j.hook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a hook through {@code /bin/sh -c}, bounded in time, and keeps what it printed for the log. */
public final class HookRunner {
    private HookRunner() {}

    public record Result(int exitCode, String output, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    public static Result run(HookCommand cmd, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd.shellLine()).redirectErrorStream(true);
        pb.environment().putAll(cmd.environment());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // Read on a virtual thread: a chatty script must not block on a full pipe while we wait for it.
            StringBuilder out = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process died; what was read is all there is
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                reader.join(1000);
                return new Result(-1, out.toString(), true);
            }
            reader.join(1000);
            return new Result(p.exitValue(), out.toString(), false);
        } catch (IOException e) {
            return new Result(127, e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted", true);
        }
    }
}
