package org.mha4j.check;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mha4j.config.ServerConfig;
import org.mha4j.node.RelayLogLocation;
import org.mha4j.ssh.ExecResult;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshFailure;
import org.mha4j.ssh.SshTarget;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.ServerSnapshot;

/**
 * MHA's checks of the node tools for a cluster without GTID, where a failover depends on them: on the master's host
 * {@code save_binary_logs --command=test} finds the current binlog in master_binlog_dir (an unreachable host is only a
 * warning, as in MHA: it may be down for good one day anyway); on each replica's host
 * {@code apply_diff_relay_logs --command=test} reads the relay logs and finds the client programs.
 */
final class NodeToolsCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private NodeToolsCheck() {}

    static List<Finding> run(MasterResolution.Resolved r) {
        List<Finding> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Finding>> fs = new ArrayList<>();
            r.masterSnapshot().ifPresent(m -> fs.add(pool.submit(() -> master(m))));
            for (ServerSnapshot s : r.replicas()) fs.add(pool.submit(() -> replica(s)));
            for (Future<Finding> f : fs) out.add(f.get());
        } catch (Exception e) {
            out.add(Finding.error("node", null, "checking the node tools failed: " + e.getMessage(), null));
        }
        return out;
    }

    private static Finding master(ServerSnapshot m) throws Exception {
        ServerConfig c = m.config();
        String file;
        try (Connection conn = Db.connect(c, Db.DEFAULT_CONNECT_TIMEOUT, TIMEOUT)) {
            Map<String, String> st = Db.query(conn, Dialect.of(m.version()).showBinlogStatus()).getFirst();
            file = st.get("File");
        }
        String cmd = c.nodeTool("save_binary_logs") + " --command=test --start_file=" + RemoteShell.quote(file)
                + " --binlog_dir=" + RemoteShell.quote(c.masterBinlogDir());
        try (RemoteShell sh = RemoteShell.forServer(c, false)) {
            ExecResult x = sh.exec(SshTarget.of(c), cmd, TIMEOUT);
            if (x.exitCode() != 0) {
                return Finding.error("node", m.label(), "save_binary_logs --command=test failed on " + c.sshHost() + ": "
                        + firstLine(x), "install the node tools there (or set node_bindir) and set master_binlog_dir to the"
                        + " directory holding " + file);
            }
            return Finding.info("node", m.label(), x.stdout().strip());
        } catch (SshFailure e) {
            return Finding.warning("node", m.label(), "the master's host does not answer SSH (" + e.getMessage()
                    + "): if it dies, its binlog events no replica received cannot be saved", "make it reachable by SSH from the manager");
        }
    }

    private static Finding replica(ServerSnapshot s) throws Exception {
        ServerConfig c = s.config();
        RelayLogLocation where;
        try (Connection conn = Db.connect(c, Db.DEFAULT_CONNECT_TIMEOUT, TIMEOUT)) {
            where = RelayLogLocation.of(conn, Dialect.of(s.version()));
        }
        String cmd = c.nodeTool("apply_diff_relay_logs") + " --command=test --relay_dir=" + RemoteShell.quote(where.dir().toString())
                + " --current_relay_log=" + RemoteShell.quote(where.current())
                + c.clientBindir().map(d -> " --client_bindir=" + RemoteShell.quote(d)).orElse("");
        try (RemoteShell sh = RemoteShell.forServer(c, false)) {
            ExecResult x = sh.exec(SshTarget.of(c), cmd, TIMEOUT);
            if (x.exitCode() != 0) {
                return Finding.error("node", s.label(), "apply_diff_relay_logs --command=test failed on " + c.sshHost() + ": " + firstLine(x),
                        "install the node tools and the MariaDB/MySQL client there (or set node_bindir / client_bindir)");
            }
            return Finding.info("node", s.label(), x.stdout().strip().replace('\n', ';'));
        } catch (SshFailure e) {
            return Finding.error("node", s.label(), "its host does not answer SSH (" + e.getMessage() + "): a failover without GTID"
                    + " applies the missing relay-log events there", "make it reachable by SSH from the manager");
        }
    }

    private static String firstLine(ExecResult x) {
        String s = (x.stderr().isBlank() ? x.stdout() : x.stderr()).strip();
        return s.isEmpty() ? "exit code " + x.exitCode() : s.lines().findFirst().orElse(s);
    }
}
