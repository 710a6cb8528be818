package org.mha4j.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external programs the manager starts on its own host (hooks, init_conf_load_script): bounded in time, the
 * output of both streams read while the program runs (so a chatty program never blocks on a full pipe, and the bound
 * holds even when a child keeps the pipe open), and on timeout the program and every process it started killed.
 */
public final class ProcessRunner {
    private ProcessRunner() {}

    /**
     * @param exitCode -1 when it timed out
     * @param stderr   empty when stderr was merged into stdout
     */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    /** {@code /bin/sh -c line}, as MHA runs hooks; stderr merged into the output. */
    public static Result shell(String line, Map<String, String> env, Duration timeout) throws IOException {
        return run(List.of("/bin/sh", "-c", line), env, null, timeout, true);
    }

    /**
     * @param stdin what the program reads on standard input (then end of file), or null for nothing
     * @throws IOException when the program cannot be started at all
     */
    public static Result run(List<String> command, Map<String, String> env, String stdin, Duration timeout, boolean mergeStderr)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(mergeStderr);
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // it exited without reading: its exit code says why
        }
        try {
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            // a descendant that escaped may hold the pipes open: the output read so far is enough
            outReader.join(1000);
            errReader.join(1000);
            return new Result(done ? p.exitValue() : -1, text(out), text(err), !done);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, text(out), text(err), true);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                synchronized (to) {
                    to.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process died or was killed: what was read is all there is
        }
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
