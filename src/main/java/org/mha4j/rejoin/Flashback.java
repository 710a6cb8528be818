package org.mha4j.rejoin;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.node.ClientTools;
import org.mha4j.ssh.ExecResult;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshTarget;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.Flavor;
import org.mha4j.topology.ServerSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mha rejoin --flashback} (MariaDB, row-based): the transactions only the old master holds, archived first, are
 * undone on it with its host's {@code mariadb-binlog --flashback} (not binary-logged); its binary log is then reset, so
 * that it holds no GTID the master does not have, and it replicates from the GTID position it had before them.
 */
final class Flashback {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private static final Duration APPLY = Duration.ofMinutes(30);

    private Flashback() {}

    static int run(AppConfig app, ServerSnapshot old, ServerSnapshot master, Rejoin.Archive archive, boolean dryRun) {
        String refused = old.version().flavor() != Flavor.MARIADB ? "--flashback is MariaDB's (mariadb-binlog --flashback)"
                : !old.binlogFormat().equalsIgnoreCase("ROW") ? "--flashback needs row-based events, and " + old.label() + " logs "
                + old.binlogFormat()
                : archive.raw().isEmpty() || archive.firstExtra().isEmpty() ? "the extra transactions' raw events could not be archived"
                + " (see above), and they are not undone without a copy"
                : !archive.onlyExtraAfter() ? "transactions the master has follow the extra ones in " + old.label() + "'s binlog: a"
                + " flashback would undo them too" : null;
        if (refused != null) {
            log.error("{}; nothing changed. What only it holds is in {}.", refused, archive.text().map(Object::toString).orElse("its binlog"));
            return 1;
        }
        ServerConfig c = old.config();
        var first = archive.firstExtra().get();
        String position;
        try (Connection conn = Db.connect(c, Db.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(30))) {
            position = Db.query(conn, "SELECT BINLOG_GTID_POS(?, ?) AS p", first.file(), first.position()).getFirst().get("p");
        } catch (SQLException e) {
            log.error("{}: its GTID position before {} cannot be read ({}); nothing changed.", old.label(), first, e.getMessage());
            return 1;
        }
        log.info("{}: undo the transactions from {} on (archived in {}), RESET MASTER, gtid_slave_pos={}, then replicate from {}.",
                old.label(), first, archive.raw().get(), position, master.label());
        if (dryRun) return Rejoin.rejoin(app, old, master, true, true);
        try (RemoteShell sh = RemoteShell.forServer(c, true)) {
            String remote = c.remoteWorkdir() + "/" + archive.raw().get().getFileName();
            sh.upload(SshTarget.of(c), archive.raw().get(), remote, APPLY);
            ExecResult r = ClientTools.applyOnHost(sh, c, remote, true, true, APPLY);
            if (r.exitCode() != 0) {
                log.error("The flashback on {} failed (exit {}): {}. The server is read-only; its binlog and the archive are unchanged.",
                        c.sshHost(), r.exitCode(), (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
                return 1;
            }
        } catch (Exception e) {
            log.error("The flashback on {} failed: {}. The server is read-only; its binlog and the archive are unchanged.", c.sshHost(), e.getMessage());
            return 1;
        }
        log.info("{}: the transactions only it held are undone (their events stay in {}).", old.label(), archive.raw().get());
        try (Connection conn = Db.connect(c, Db.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(60))) {
            Dialect d = Dialect.of(old.version());
            if (old.replica().isPresent()) Db.execute(conn, d.stopReplica());
            // its binlog still names the undone GTIDs, which the master's own would collide with (gtid_strict_mode)
            Db.execute(conn, "RESET MASTER");
            Db.execute(conn, "SET GLOBAL gtid_slave_pos=" + Dialect.quote(position));
        } catch (SQLException e) {
            log.error("{}: RESET MASTER / gtid_slave_pos failed after the flashback: {}. Run them by hand, then mha rejoin.", old.label(), e.getMessage());
            return 1;
        }
        return Rejoin.rejoin(app, old, master, false, true);
    }
}
