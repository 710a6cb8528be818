package org.mha4j.hook;

import java.io.IOException;
import java.time.Duration;
import org.mha4j.process.ProcessRunner;

/** Runs a hook through {@code /bin/sh -c}, bounded in time, and keeps what it printed for the log. */
public final class HookRunner {
    private HookRunner() {}

    public record Result(int exitCode, String output, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    public static Result run(HookCommand cmd, Duration timeout) {
        try {
            ProcessRunner.Result r = ProcessRunner.shell(cmd.shellLine(), cmd.environment(), timeout);
            return new Result(r.exitCode(), r.stdout(), r.timedOut());
        } catch (IOException e) {
            return new Result(127, e.getMessage(), false);  // the shell's own "cannot execute" code
        }
    }
}
