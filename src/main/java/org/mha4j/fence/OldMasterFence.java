package org.mha4j.fence;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mha4j.config.Fence;
import org.mha4j.config.ServerConfig;
import org.mha4j.ssh.ExecResult;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshFailure;
import org.mha4j.ssh.SshTarget;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.ServerLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an old master stop taking writes: over its host's SSH during the failover ({@link #fence}), over SQL the moment it
 * answers again ({@link #stopWrites}). A master that the manager cannot reach may still be reached by its clients (a
 * partition), and once semi-sync times out it acknowledges their commits although no replica will ever see them;
 * fencing ends that as soon as a route answers. Every attempt is bounded in seconds: a hung server must not hold up the
 * failover.
 */
public final class OldMasterFence {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private static final Duration SQL_CONNECT = Duration.ofSeconds(1);
    private static final Duration SSH_COMMAND = Duration.ofSeconds(10);
    private static final Duration READ_ONLY_WAIT = Duration.ofSeconds(10);

    private OldMasterFence() {}

    /**
     * @param fenced  the old master can no longer take writes (read-only, or its mysqld killed)
     * @param summary what was done, or every route tried and why each failed, for the log and the failover report
     */
    public record Outcome(boolean fenced, String summary) {}

    /**
     * Phase 2: {@code mode} over its host's SSH. The SQL route is not tried here: Phase 1 has just seen the server not
     * answer a connect, and trying again would cost a hung server another timeout. It is the old-master watch's route,
     * the moment the server answers again.
     *
     * @param sshAnswers whether the host answered SSH
     */
    public static Outcome fence(ServerConfig old, Fence mode, boolean sshAnswers) {
        try (RemoteShell sh = RemoteShell.forServer(old, false)) {
            return fence(old, mode, sshAnswers, sh);
        }
    }

    /** {@link #fence(ServerConfig, Fence, boolean)} on a shell the caller keeps (a failover's session to that host). */
    public static Outcome fence(ServerConfig old, Fence mode, boolean sshAnswers, RemoteShell sh) {
        if (mode == Fence.NONE) {
            return new Outcome(false, "fence=none: the old master is left as it is (shutdown_script or master_ip_failover_script"
                    + " must keep it from taking writes)");
        }
        String route = mode == Fence.SHUTDOWN ? "kill over SSH" : "read_only with the client on its host over SSH";
        String why = "its host does not answer SSH";
        if (sshAnswers) {
            try {
                return new Outcome(true, mode == Fence.SHUTDOWN ? killOverSsh(old, sh) : readOnlyOverSsh(old, sh));
            } catch (SshFailure | IllegalStateException e) {
                why = e.getMessage();
            }
        }
        return new Outcome(false, "could not fence " + ServerLabels.label(old) + " (fence=" + mode.key() + "): it does not answer the manager's"
                + " connect; " + route + ": " + why);
    }

    /**
     * Read-only now, and every client session ended so that no open transaction commits afterwards and applications
     * reconnect (to the new master, through the VIP or the proxy). Replication and server threads are left alone.
     *
     * <p>The order matters on an isolated master. read_only=1 waits for the commits in flight, which wait for a semi-sync
     * acknowledgement that never comes (for ever with semi_sync_timeout=infinite), so those sessions must be ended; but
     * ending the session that leads a group commit lets the group's other commits finish and report success to their
     * clients, although no replica has them. So read_only is requested first, on a connection of its own (pending, it
     * already holds off new writes), then every other client session is ended, the ones waiting for an acknowledgement
     * last, and read_only completes.
     *
     * @return what was done
     */
    public static String stopWrites(ServerConfig server, Connection c) throws SQLException {
        Dialect d = Dialect.of(c);
        Map<String, String> vars = Db.nameValue(c, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('read_only', 'super_read_only')");
        String stop = d.stopWrites(vars);
        int ended = 0;
        try (Connection ro = Db.connect(server, SQL_CONNECT, READ_ONLY_WAIT.plusSeconds(5));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long roId = Long.parseLong(Db.query(ro, "SELECT CONNECTION_ID() AS id").getFirst().get("id"));
            Db.execute(ro, "SET SESSION lock_wait_timeout=" + READ_ONLY_WAIT.toSeconds());
            Future<?> pending = pool.submit(() -> {
                Db.execute(ro, stop);
                return null;
            });
            for (int pass = 0; pass < 50 && !pending.isDone(); pass++) {
                Thread.sleep(20);
                ended += endClientSessions(c, d, roId);
            }
            pending.get(READ_ONLY_WAIT.toSeconds() + 2, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException x ? x : new SQLException(e.getCause());
        } catch (TimeoutException e) {
            throw new SQLException(stop + " did not complete within " + READ_ONLY_WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while fencing");
        }
        return "made read-only over SQL (" + stop.substring("SET GLOBAL ".length()) + "), " + ended + " client session(s) ended";
    }

    /** Ends every client session but {@code except}: those waiting for a semi-sync acknowledgement last (see above). */
    private static int endClientSessions(Connection c, Dialect d, long except) throws SQLException {
        List<Map<String, String>> clients = Db.query(c, d.processList()).stream()
                .filter(row -> !d.isServerThread(row) && Long.parseLong(row.get("ID")) != except).toList();
        int ended = 0;
        for (boolean ackWaiters : new boolean[]{false, true}) {
            for (Map<String, String> row : clients) {
                if (d.waitsForSemiSyncAck(row) != ackWaiters) continue;
                try {
                    Db.execute(c, "KILL CONNECTION " + Long.parseLong(row.get("ID")));
                    ended++;
                } catch (SQLException gone) {
                    // the session ended by itself meanwhile
                }
            }
        }
        return ended;
    }

    /** The client on the old master's own host: for a server whose port the manager cannot reach but its host can. */
    private static String readOnlyOverSsh(ServerConfig old, RemoteShell sh) throws SshFailure {
        String client = old.clientBindir().map(d -> RemoteShell.quote(d + "/mysql")).orElse("$(command -v mariadb || command -v mysql)");
        // the password comes on stdin into the client's environment: never on a command line that `ps` shows
        // --connect-timeout bounds the connect and the handshake; a server that answers them and then stalls (the
        // statement waiting on a lock, a disk that hangs) would keep the client, and the new master, waiting:
        // coreutils' timeout ends it after 2 s (exit 124)
        String cmd = "read -r MYSQL_PWD; export MYSQL_PWD; T=$(command -v timeout >/dev/null && echo 'timeout 2'); $T " + client
                + " --no-defaults --connect-timeout=1 -h " + RemoteShell.quote(old.ip())
                + " -P " + old.port() + " -u " + RemoteShell.quote(old.user()) + " -e 'SET GLOBAL read_only=1'";
        {
            ExecResult r = sh.exec(SshTarget.of(old), cmd, old.password().reveal() + "\n", SSH_COMMAND);
            if (r.exitCode() == 124) throw new IllegalStateException("the server on its host did not answer the client within 2 s (hung?)");
            // refused on its own host: no mysqld listens there, so none takes writes (the usual case after a crash)
            // (MariaDB's client reports a refused connection as errno 111, or 115 when it connects with a timeout)
            if (r.exitCode() != 0 && r.stderr().contains("ERROR 2002") && (r.stderr().contains("(111") || r.stderr().contains("(115"))) return "no mysqld listens on port " + old.port() + " of " + old.sshHost()
                    + " (connection refused there, checked over SSH): nothing takes writes";
            if (r.exitCode() != 0) throw new IllegalStateException("exit " + r.exitCode() + ": " + r.stderr().strip());
        }
        return "made read-only with the client on its host " + old.sshHost() + " over SSH";
    }

    /**
     * kill -9 of the mysqld of this instance only: by master_pid_file, else by the process listening on its port; the
     * process's name is checked, so a stale pid file cannot kill another program. No such process: nothing to fence.
     */
    private static String killOverSsh(ServerConfig old, RemoteShell sh) throws SshFailure {
        String isMysqld = "case $(cat /proc/$p/comm 2>/dev/null) in mysqld|mariadbd) true;; *) false;; esac";
        String byFile = old.masterPidFile().isBlank() ? "p=; " : "p=$(cat " + RemoteShell.quote(old.masterPidFile()) + " 2>/dev/null); ";
        String cmd = byFile + "{ [ -n \"$p\" ] && " + isMysqld + "; } || p=$(ss -Htlnp 'sport = :" + old.port()
                + "' 2>/dev/null | sed -n 's/.*pid=\\([0-9]*\\).*/\\1/p' | head -1); "
                + "{ [ -n \"$p\" ] && " + isMysqld + "; } || exit 3; kill -9 \"$p\" && echo \"$p\"";
        {
            ExecResult r = sh.exec(SshTarget.of(old), cmd, SSH_COMMAND);
            if (r.exitCode() == 3) return "no mysqld of port " + old.port() + " runs on " + old.sshHost() + " (checked over SSH): nothing takes writes";
            if (r.exitCode() != 0) throw new IllegalStateException("exit " + r.exitCode() + ": " + r.stderr().strip());
            log.info("Killed mysqld (pid {}) of {} on {} over SSH.", r.stdout().strip(), ServerLabels.label(old), old.sshHost());
            return "mysqld (pid " + r.stdout().strip() + ") killed on " + old.sshHost() + " over SSH";
        }
    }
}
