package org.mha4j.ssh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * MHA's all-pairs SSH test: the manager to every host, then every host to every other one with the host's own
 * OpenSSH client ({@code ssh src "ssh dst exit 0"}), since during a failover hosts copy binlogs between themselves.
 */
public final class SshMeshCheck {
    /** sshd's MaxStartups defaults to 10 unauthenticated connections; MHA staggers for the same reason. */
    private static final int CONCURRENCY = 3;

    private final RemoteShell shell;
    private final SshOptions opts;

    public SshMeshCheck(RemoteShell shell, SshOptions opts) {
        this.shell = shell;
        this.opts = opts;
    }

    public List<SshPairResult> run(List<SshTarget> targets) {
        List<SshPairResult> direct = parallel(targets.stream().map(t -> (Hop) () -> hop(Optional.empty(), t)).toList());
        List<Hop> nested = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            SshTarget src = targets.get(i);
            boolean reachable = direct.get(i).ok();
            for (SshTarget dst : targets) {
                if (dst == src) continue;
                nested.add(reachable ? () -> hop(Optional.of(src), dst)
                        : () -> new SshPairResult(Optional.of(src), dst, false,
                        "not tested: the manager cannot log in to " + src.name() + " itself", Duration.ZERO));
            }
        }
        List<SshPairResult> all = new ArrayList<>(direct);
        all.addAll(parallel(nested));
        return all;
    }

    private SshPairResult hop(Optional<SshTarget> from, SshTarget to) {
        long t0 = System.nanoTime();
        try {
            ExecResult r = from.isEmpty()
                    ? shell.exec(to, "exit 0", opts.connectTimeout().plusSeconds(5))
                    : shell.exec(from.get(), nestedCommand(to), opts.connectTimeout().multipliedBy(2).plusSeconds(5));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (r.exitCode() == 0) return new SshPairResult(from, to, true, "ok", took);
            String why = r.stderr().strip().lines().reduce((a, b) -> b).orElse("exit code " + r.exitCode());
            return new SshPairResult(from, to, false, why + hint(why, to), took);
        } catch (SshFailure e) {
            return new SshPairResult(from, to, false, from.isPresent() ? "cannot log in to the source: " + e.reason() : e.reason(),
                    Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /**
     * The command the source host runs, its own ssh client with the config's ssh_options, non-interactive. Host keys are
     * checked as that client checks them (MHA turned the check off): ssh_options' StrictHostKeyChecking comes first, as
     * OpenSSH takes the first value it is given, then the source host's own ssh configuration.
     */
    String nestedCommand(SshTarget to) {
        StringBuilder sb = new StringBuilder("ssh");
        if (!opts.rawOptions().isBlank()) sb.append(' ').append(opts.rawOptions());
        sb.append(" -o BatchMode=yes -o PasswordAuthentication=no")
                .append(" -o ConnectTimeout=").append(opts.connectTimeout().toSeconds())
                .append(" -p ").append(to.port()).append(' ')
                .append(quote(to.user() + "@" + to.host())).append(" exit 0");
        return sb.toString();
    }

    private static String hint(String why, SshTarget to) {
        String l = why.toLowerCase();
        if (l.contains("connection refused")) return " — is sshd running on " + to.host() + ":" + to.port() + "? check ssh_port";
        if (l.contains("permission denied")) return " — add the source host's public key to " + to.user() + "'s authorized_keys on " + to.host();
        if (l.contains("could not resolve")) return " — the source host cannot resolve " + to.host();
        if (l.contains("host key verification failed")) {
            return " — the source host does not know " + to.host() + "'s host key (or it changed): check it and add it to its known_hosts"
                    + " (ssh-keyscan -p " + to.port() + " " + to.host() + "), or set StrictHostKeyChecking=accept-new in ssh_options";
        }
        return "";
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_.@:\\[\\]-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private interface Hop {
        SshPairResult run();
    }

    private static List<SshPairResult> parallel(List<Hop> hops) {
        Semaphore slots = new Semaphore(CONCURRENCY);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SshPairResult>> fs = hops.stream().map(h -> pool.submit(() -> {
                slots.acquire();
                try {
                    return h.run();
                } finally {
                    slots.release();
                }
            })).toList();
            List<SshPairResult> out = new ArrayList<>();
            for (Future<SshPairResult> f : fs) {
                try {
                    out.add(f.get());
                } catch (Exception e) {
                    throw new IllegalStateException("SSH check interrupted", e);
                }
            }
            return out;
        }
    }
}
