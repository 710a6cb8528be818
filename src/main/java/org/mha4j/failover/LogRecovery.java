package org.mha4j.failover;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.mha4j.config.ServerConfig;
import org.mha4j.node.BinlogSeries;
import org.mha4j.node.BinlogTail;
import org.mha4j.node.ClientTools;
import org.mha4j.node.DiffApplier;
import org.mha4j.node.NodeException;
import org.mha4j.node.RelayDiff;
import org.mha4j.node.RelayLogLocation;
import org.mha4j.node.RelayPositionNotFound;
import org.mha4j.promote.InParallel;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.ServerSession;
import org.mha4j.promote.Steps;
import org.mha4j.ssh.ExecResult;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshFailure;
import org.mha4j.ssh.SshTarget;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.Db;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerLabels;
import org.mha4j.topology.ServerSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failover recovers from binary and relay logs, agentless: the manager reads the dead master's binlog tail
 * (both paths) and, for a cluster replicating by file and position (MHA's non-GTID path), each replica's missing
 * relay-log events from the latest replicas' relay logs, over SFTP, parses and cuts them itself, and has the receiving
 * server's own host apply them with its own client programs ({@code mariadb-binlog | mariadb}, or MySQL's), as one
 * stream. A database host needs sshd, the server and its client programs: no Java, nothing of MHA4J.
 */
final class LogRecovery {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(30);

    private final ServerConfig dead;
    private final Path managerWorkdir;
    private final Duration wait;
    private final Steps steps;
    private final Function<ServerConfig, RemoteShell> shells;
    private final String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));

    /** @param shells the failover's SSH to a server's host, its sessions kept for the whole failover */
    LogRecovery(ServerConfig dead, Path managerWorkdir, Duration wait, Steps steps, Function<ServerConfig, RemoteShell> shells) {
        this.shells = shells;
        this.dead = dead;
        this.managerWorkdir = managerWorkdir;
        this.wait = wait;
        this.steps = steps;
    }

    // ---------------------------------------------------------------- Phase 1

    /**
     * Every replica's host must answer SSH and have the client programs that apply binlog events: without them nothing
     * can be recovered. Checked in parallel.
     */
    static void checkHosts(List<ServerSnapshot> replicas, Function<ServerConfig, RemoteShell> shells) throws Refusal {
        List<String> problems;
        try {
            problems = InParallel.problems(replicas, r -> hostProblem(r, shells.apply(r.config())));
        } catch (Exception e) {
            throw new Refusal(Refusal.Code.NODE_TOOLS_UNUSABLE, "checking the replicas' hosts failed: " + e.getMessage());
        }
        if (!problems.isEmpty()) throw new Refusal(Refusal.Code.NODE_TOOLS_UNUSABLE, problems.getFirst());
    }

    /** The host's SSH and client programs, or why they cannot be used. */
    private static Optional<String> hostProblem(ServerSnapshot r, RemoteShell sh) {
        ServerConfig c = r.config();
        try {
            ExecResult x = sh.exec(SshTarget.of(c), ClientTools.remoteLookupScript(c.clientBindir()), Duration.ofSeconds(c.sshConnectionTimeout() + 5L));
            return x.exitCode() == 0 ? Optional.empty() : Optional.of(r.label() + ": " + x.stderr().strip()
                    + " on " + c.sshHost() + " (a failover without GTID applies the missing events there with them; install the"
                    + " MariaDB/MySQL client, or set client_bindir)");
        } catch (SshFailure e) {
            return Optional.of(r.label() + ": its host does not answer SSH (" + e.getMessage() + "); a failover without GTID applies"
                    + " the missing relay-log events there");
        }
    }

    // ---------------------------------------------------------------- Phase 3.1

    /**
     * Lets the SQL thread apply what it can of the relay log (bounded), then stops it, so Exec_Master_Log_Pos no longer
     * moves: everything after it comes from the latest replica's relay log.
     */
    void drain(ServerSession ss) throws SQLException, Refusal {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean started = false;
        while (true) {
            Map<String, String> row = ss.rows(ss.dialect.showReplicaStatus()).getFirst();
            ReplicaStatus rs = ss.dialect.replicaStatus(row).orElseThrow();
            if (!rs.sqlRunning()) {
                // failed while applying its relay log: the new master is another one and this one is left behind (Phase 4)
                if (rs.lastSqlErrno() != 0) break;
                if (started || rs.relayMasterLogFile().equals(rs.masterLogFile()) && rs.execMasterLogPos() == rs.readMasterLogPos()) break;
                ss.exec(ss.dialect.startSqlThread());
                started = true;
                continue;
            }
            String state = ss.dialect.sqlThreadState(row);
            boolean caughtUp = rs.relayMasterLogFile().equals(rs.masterLogFile()) && rs.execMasterLogPos() == rs.readMasterLogPos();
            if (caughtUp || state.contains("read all relay log") || System.nanoTime() > deadline) break;
            ServerSession.sleep(100);
        }
        ss.exec(ss.dialect.stopReplica());
    }

    // ---------------------------------------------------------------- Phase 3.2

    /** How far the dead master's binlog was read over SSH (its last whole event), once it was. */
    private volatile BinlogPosition deadMasterReadTo;

    Optional<BinlogPosition> deadMasterReadTo() {
        return Optional.ofNullable(deadMasterReadTo);
    }

    /**
     * The dead master's binlog events from {@code latest} on; empty when there are none.
     *
     * @param latest the end of an event: what the latest replica read (with its relay-log difference in front, a
     *               transaction cut there is whole again) or, alone, what it executed (a transaction boundary)
     */
    Optional<Path> saveMasterBinlog(BinlogPosition latest) throws SshFailure, IOException, Refusal {
        Path local = managerWorkdir.resolve("saved_master_binlog_from_" + dead.hostname() + "_" + dead.port() + "_" + ts + ".binlog");
        RemoteShell sh = shells.apply(dead);
        try (FileSystem host = sh.files(SshTarget.of(dead))) {
            BinlogTail.Result r;
            try {
                r = read(dead, "read the binlog from " + latest + " in " + dead.masterBinlogDir() + " over SFTP", () -> {
                    Path dir = BinlogTail.locate(dead.masterBinlogDirs().stream().map(host::getPath).toList(), latest.file());
                    return BinlogTail.save(dir, latest.file(), latest.position(), local);
                });
            } catch (NodeException e) {
                throw new IOException(e.getMessage(), e);  // "Binlog not found from ...", a start inside an event, ...
            }
            r.warnings().forEach(w -> log.warn("{}", w));
            deadMasterReadTo = new BinlogPosition(r.lastFile(), r.lastEnd());
            if (r.events() == 0) {
                Files.deleteIfExists(r.output());
                log.info("Additional events were not found on the dead master's binlog after {}.", latest);
                return Optional.empty();
            }
            log.info("Saved the dead master's binlog tail from {} to {} ({} events, {} bytes, up to {}).", latest, local, r.events(),
                    r.bytes(), r.lastFile());
            return Optional.of(local);
        }
    }

    // ---------------------------------------------------------------- Phase 3.3, 4.1

    /**
     * The relay-log events {@code target} misses, generated on the latest replica's host and fetched here; empty when
     * it executed everything the latest received.
     */
    Optional<Path> generateDiff(ServerSnapshot target, ServerSnapshot latest, RelayLogLocation latestLogs) throws Exception {
        ReplicaStatus t = target.replica().orElseThrow();
        ReplicaStatus l = latest.replica().orElseThrow();
        BinlogPosition from = new BinlogPosition(t.relayMasterLogFile(), t.execMasterLogPos());
        BinlogPosition to = new BinlogPosition(l.masterLogFile(), l.readMasterLogPos());
        if (from.compareTo(to) >= 0) return Optional.empty();
        ServerConfig c = latest.config();
        Path local = managerWorkdir.resolve("relay_from_read_to_latest_" + target.config().hostname() + "_" + target.config().port() + "_" + ts + ".binlog");
        log.info("Reading the relay-log difference of {} ({} to {}) from {}'s relay logs..", target.label(), from, to, latest.label());
        RemoteShell sh = shells.apply(c);
        try (FileSystem host = sh.files(SshTarget.of(c))) {
            RelayDiff.Result r = read(c, "read the relay logs of " + latest.label() + " in " + latestLogs.dir() + " from " + from + " to " + to
                    + " over SFTP", () -> RelayDiff.generate(BinlogSeries.upTo(host.getPath(latestLogs.dir().toString()), latestLogs.current()),
                    latest.serverId(), from, to, local));
            r.warnings().forEach(w -> log.warn("{}", w));
            log.info("{} events ({} bytes) for {} up to {}.", r.events(), r.bytes(), target.label(), r.end());
            return Optional.of(local);
        } catch (RelayPositionNotFound e) {
            throw new RelayPositionNotFound(target.label() + "'s position " + from + " is no longer in " + latest.label()
                    + "'s relay logs (purged: keep relay_log_purge=0 and purge with purge_relay_logs), so it cannot be brought up to date");
        }
    }

    // ---------------------------------------------------------------- Phase 3.4, 4.2

    /**
     * Merges the files here into one raw binlog (a transaction that spans them is applied whole), sends it to
     * {@code target}'s host and applies it there with the host's own client programs; max_allowed_packet is raised to
     * 1 GiB meanwhile, as MHA does, since a row event may be as large as the master's.
     */
    void apply(ServerSnapshot target, List<Path> files) throws Exception {
        if (files.isEmpty()) return;
        ServerConfig c = target.config();
        DiffApplier.Merged merged = DiffApplier.merge(files, managerWorkdir.resolve("total_binlog_for_" + c.hostname() + "_" + c.port() + "_" + ts + ".binlog"));
        String remote = c.remoteWorkdir() + "/" + merged.file().getFileName();
        RemoteShell sh = shells.apply(c);
        try (Connection db = Db.connect(c, Db.DEFAULT_CONNECT_TIMEOUT, TOOL_TIMEOUT)) {
            sh.upload(SshTarget.of(c), merged.file(), remote, TOOL_TIMEOUT);
            String packet = Db.query(db, "SELECT @@global.max_allowed_packet p").getFirst().get("p");
            Db.execute(db, "SET GLOBAL max_allowed_packet=1073741824");
            log.info("*NOTICE: If any error happens from this phase, manual recovery is needed.");
            String shown = "mariadb-binlog " + remote + " | mariadb --binary-mode (" + merged.events() + " events, the host's client programs)";
            log.info("Applying on {}: {}", c.sshHost(), shown);
            ExecResult r;
            try {
                r = steps.run("ssh", ServerLabels.label(c), shown, () -> ClientTools.applyOnHost(sh, c, remote, c.disableLogBin(), false, TOOL_TIMEOUT));
            } finally {
                Db.execute(db, "SET GLOBAL max_allowed_packet=" + Long.parseLong(packet));
            }
            if (r.exitCode() != 0) {
                throw new IOException("applying " + merged.events() + " events on " + target.label() + " failed (exit " + r.exitCode() + "): "
                        + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
            }
            log.info("Applied {} events to {}.", merged.events(), target.label());
        } finally {
            Files.deleteIfExists(merged.file());
        }
    }

    /**
     * Reads logs on {@code c}'s host over SFTP, recorded as a step; the readers' own errors (a node exception: which
     * file and offset, a position not in the relay logs) pass unchanged.
     */
    private <T> T read(ServerConfig c, String what, Steps.Body<T> body) throws IOException, NodeException {
        log.info("On {}: {}..", c.sshHost(), what);
        try {
            return steps.run("sftp", ServerLabels.label(c), what, body);
        } catch (IOException | NodeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(c.sshHost() + ": " + what + " failed: " + e.getMessage(), e);
        }
    }
}
