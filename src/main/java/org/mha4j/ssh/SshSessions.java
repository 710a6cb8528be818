package org.mha4j.ssh;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mha4j.config.ServerConfig;

/**
 * The process's SSH logins, kept: one client per distinct ssh_options, one session per host. The manager logs in to
 * the master's host while it watches it, so a failover's first SSH step (is the dead master's host up? its binlog, the
 * fence) costs a command, not a key exchange, and every later step of the failover reuses the same session. A session
 * that broke is dropped and made again on its next use ({@link RemoteShell}).
 */
public final class SshSessions {
    private static final Map<String, RemoteShell> SHELLS = new ConcurrentHashMap<>();

    private SshSessions() {}

    /** The kept shell for {@code c}'s ssh_options; it lives as long as the process. */
    public static RemoteShell forServer(ServerConfig c) {
        return SHELLS.computeIfAbsent(c.sshOptions() + "\u0000" + c.sshConnectionTimeout(), k -> RemoteShell.forServer(c, true));
    }

    /** Logs in to {@code c}'s host now, in the background, so that a failover finds the session ready. */
    public static void warm(ServerConfig c) {
        Thread.ofVirtual().name("ssh-warm-" + c.sshHost()).start(() -> forServer(c).unreachable(SshTarget.of(c), c.sshConnectionTimeout()));
    }
}
