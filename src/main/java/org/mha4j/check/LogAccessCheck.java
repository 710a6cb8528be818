package org.mha4j.check;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mha4j.config.ServerConfig;
import org.mha4j.node.BinlogSeries;
import org.mha4j.node.BinlogTail;
import org.mha4j.node.ClientTools;
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
 * What a failover without GTID needs on the database hosts, checked where MHA runs its node tools' {@code --command=test}:
 * the master's current binlog readable over SFTP in master_binlog_dir (an unreachable host is only a warning, as in
 * MHA: it may be down for good one day anyway); on each replica's host its relay logs readable over SFTP and the client
 * programs that apply binlog events. Nothing of MHA4J is needed there.
 */
final class LogAccessCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private LogAccessCheck() {}

    static List<Finding> run(MasterResolution.Resolved r) {
        List<Finding> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Finding>> fs = new ArrayList<>();
            r.masterSnapshot().ifPresent(m -> fs.add(pool.submit(() -> master(m))));
            for (ServerSnapshot s : r.replicas()) fs.add(pool.submit(() -> replica(s)));
            for (Future<Finding> f : fs) out.add(f.get());
        } catch (Exception e) {
            out.add(Finding.error("hosts", null, "checking the database hosts failed: " + e.getMessage(), null));
        }
        return out;
    }

    private static Finding master(ServerSnapshot m) throws Exception {
        ServerConfig c = m.config();
        String file;
        try (Connection conn = Db.connect(c, Db.DEFAULT_CONNECT_TIMEOUT, TIMEOUT)) {
            file = Db.query(conn, Dialect.of(m.version()).showBinlogStatus()).getFirst().get("File");
        }
        try (RemoteShell sh = RemoteShell.forServer(c, true); FileSystem host = sh.files(SshTarget.of(c))) {
            List<Path> dirs = c.masterBinlogDirs().stream().map(host::getPath).toList();
            try {
                Path dir = BinlogTail.locate(dirs, file);
                List<Path> series = BinlogSeries.from(dir, file);
                return Finding.info("hosts", m.label(), "binlog " + file + " readable over SFTP in " + dir + " (" + Files.size(series.getLast()) + " bytes)");
            } catch (Exception e) {
                return Finding.error("hosts", m.label(), "the current binlog " + file + " cannot be read over SFTP on " + c.sshHost() + ": "
                        + e.getMessage(), "set master_binlog_dir to the directory holding " + file + ", readable by ssh_user " + c.sshUser());
            }
        } catch (SshFailure e) {
            return Finding.warning("hosts", m.label(), "the master's host does not answer SSH (" + e.getMessage()
                    + "): if it dies, its binlog events no replica received cannot be saved", "make it reachable by SSH from the manager");
        }
    }

    private static Finding replica(ServerSnapshot s) throws Exception {
        ServerConfig c = s.config();
        RelayLogLocation where;
        try (Connection conn = Db.connect(c, Db.DEFAULT_CONNECT_TIMEOUT, TIMEOUT)) {
            where = RelayLogLocation.of(conn, Dialect.of(s.version()));
        }
        try (RemoteShell sh = RemoteShell.forServer(c, true); FileSystem host = sh.files(SshTarget.of(c))) {
            List<Path> logs;
            try {
                logs = BinlogSeries.upTo(host.getPath(where.dir().toString()), where.current());
                if (logs.isEmpty() || !Files.isReadable(logs.getLast())) throw new java.io.IOException(where.current() + " not found");
            } catch (Exception e) {
                return Finding.error("hosts", s.label(), "its relay logs cannot be read over SFTP in " + where.dir() + ": " + e.getMessage(),
                        "make " + where.dir() + " readable by ssh_user " + c.sshUser() + " on " + c.sshHost());
            }
            ExecResult x = sh.exec(SshTarget.of(c), ClientTools.remoteLookupScript(c.clientBindir()), TIMEOUT);
            if (x.exitCode() != 0) {
                return Finding.error("hosts", s.label(), x.stderr().strip() + " on " + c.sshHost(),
                        "install the MariaDB/MySQL client there, or set client_bindir");
            }
            return Finding.info("hosts", s.label(), logs.size() + " relay log(s) readable over SFTP in " + where.dir() + "; client programs "
                    + x.stdout().strip());
        } catch (SshFailure e) {
            return Finding.error("hosts", s.label(), "its host does not answer SSH (" + e.getMessage() + "): a failover without GTID"
                    + " applies the missing relay-log events there", "make it reachable by SSH from the manager");
        }
    }
}
