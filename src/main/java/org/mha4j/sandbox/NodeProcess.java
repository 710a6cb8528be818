package org.mha4j.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Starting, stopping and killing one node's mariadbd; the pid file is the only state, so a new JVM can take over. */
final class NodeProcess {
    private NodeProcess() {}

    /** Starts the server detached from this JVM (it must outlive `mha sandbox up`), output to the node's directory. */
    static Process start(List<String> cmd, SandboxNode node) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(node.dir().resolve("server.out").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("TMPDIR", node.tmpdir().toString());
            return pb.start();
        } catch (IOException e) {
            throw new SandboxException("cannot start " + cmd.getFirst() + " for node " + node.index() + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the port; gives up at once if the server process we started has exited (its pid file may be stale). */
    static void awaitPort(SandboxNode node, Process process, Duration timeout) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < timeout.toNanos()) {
            if (portOpen(node.port())) return;
            if (!process.isAlive()) break;
            sleep(100);
        }
        throw new SandboxException("node " + node.index() + " (port " + node.port() + ") did not start"
                + (process.isAlive() ? " within " + timeout.toSeconds() + " s" : " (the server exited with " + process.exitValue() + ")")
                + ". Last lines of " + node.errorLog() + ":\n" + tail(node.errorLog(), 20)
                + "\n" + tail(node.dir().resolve("server.out"), 10));
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        return freePorts(1).getFirst();
    }

    /**
     * {@code n} distinct ports nothing listens on now. Each socket stays open until all are chosen: the kernel may hand
     * out a port again as soon as its socket is closed, and two nodes given one port made the second node's
     * connections reach the first.
     */
    static List<Integer> freePorts(int n) {
        List<java.net.ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) held.add(new java.net.ServerSocket(0));
            return held.stream().map(java.net.ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (java.net.ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing a listening socket we just opened does not fail in practice; nothing to undo
                }
            }
        }
    }

    static OptionalLong pid(SandboxNode node) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(node.pidFile()).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Alive and not a zombie: PID 1 here reaps orphans only about once a second, so kill -0 alone lies. */
    static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isRunning(SandboxNode node) {
        OptionalLong pid = pid(node);
        return pid.isPresent() && alive(pid.getAsLong());
    }

    /** SIGTERM (clean shutdown), then SIGKILL if it has not exited within the timeout. */
    static void stop(SandboxNode node, Duration timeout) {
        OptionalLong pid = pid(node);
        if (pid.isEmpty() || !alive(pid.getAsLong())) return;
        ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroy);
        if (!awaitExit(node, pid.getAsLong(), timeout)) kill(node);
    }

    static void kill(SandboxNode node) {
        OptionalLong pid = pid(node);
        if (pid.isEmpty()) return;
        ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
        if (!awaitExit(node, pid.getAsLong(), Duration.ofSeconds(10))) {
            throw new SandboxException("node " + node.index() + " (pid " + pid.getAsLong() + ") did not die after SIGKILL");
        }
    }

    private static boolean awaitExit(SandboxNode node, long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive(pid) && !portOpen(node.port())) return true;
            sleep(50);
        }
        return false;
    }

    static void run(SandboxNode node, List<String> cmd, String what) {
        run(node, cmd, Duration.ofMinutes(2), what);
    }

    private static void run(SandboxNode node, List<String> cmd, Duration timeout, String what) {
        Path log = node.dir().resolve(what + ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("TMPDIR", node.tmpdir().toString());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SandboxException(what + " for node " + node.index() + " did not finish within " + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new SandboxException(what + " for node " + node.index() + " failed (exit " + p.exitValue() + "):\n" + tail(log, 20));
            }
        } catch (IOException e) {
            throw new SandboxException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while running " + what, e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
    }

    static void mkdirs(Path... dirs) {
        try {
            for (Path d : dirs) Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
