package org.mha4j.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.ServerVersion;

/**
 * What {@code purge_relay_logs} does on a replica that keeps {@code relay_log_purge=0} (so a failover can build
 * differences from its relay logs): lets the SQL thread purge what it has executed, without stopping it, for a moment.
 * With hard links the purged files' blocks are freed here afterwards, not inside the server while it holds its locks.
 */
public final class RelayLogPurger {
    /** The advisory lock MHA's failover and purge take, so one never runs during the other. */
    public static final String FAILOVER_LOCK = "MHA_Master_High_Availability_Failover";

    public record Result(List<String> purged, long bytes, List<String> kept, String message) {}

    private RelayLogPurger() {}

    public static Result purge(Connection c, boolean disableRelayLogPurge, boolean hardLinks, Path workdir, java.time.Duration lockWait)
            throws SQLException, IOException, NodeException {
        Map<String, String> v = Db.nameValue(c, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('relay_log_purge', 'port')");
        Dialect d = Dialect.of(c);
        List<Map<String, String>> status = Db.query(c, d.showReplicaStatus());
        if (status.isEmpty()) throw new NodeException("this server (port " + v.get("port") + ") is not a replica: it has no relay logs to purge");
        if ("ON".equalsIgnoreCase(v.get("relay_log_purge")) || "1".equals(v.get("relay_log_purge"))) {
            if (!disableRelayLogPurge) {
                return new Result(List.of(), 0, List.of(), "relay_log_purge=1: the server purges its relay logs itself, nothing to do"
                        + " (--disable_relay_log_purge sets it to 0, as a failover without GTID needs)");
            }
            Db.execute(c, "SET GLOBAL relay_log_purge=0");
        }
        RelayLogLocation where = RelayLogLocation.of(c, d);
        Path dir = where.dir();
        String current = where.current();
        if (!Files.isDirectory(dir)) {
            throw new NodeException("relay log directory " + dir + " is not on this host: run purge_relay_logs on the replica's own host");
        }
        List<Path> before = BinlogSeries.upTo(dir, current);
        List<Path> links = hardLinks ? link(before.subList(0, Math.max(0, before.size() - 1)), workdir.resolve("mha4j_purge_relay_logs_"
                + v.get("port"))) : List.of();
        if (!Db.query(c, "SELECT GET_LOCK(?, ?) l", FAILOVER_LOCK, lockWait.toSeconds()).getFirst().get("l").equals("1")) {
            throw new NodeException("the lock " + FAILOVER_LOCK + " is held (a failover is running?) and was not free within "
                    + lockWait.toSeconds() + " s: nothing purged");
        }
        try {
            Db.execute(c, "SET GLOBAL relay_log_purge=1");
            try {
                Db.execute(c, "FLUSH NO_WRITE_TO_BINLOG RELAY LOGS");
                awaitPurge(dir, c, d, 10_000);
            } finally {
                Db.execute(c, "SET GLOBAL relay_log_purge=0");
            }
        } finally {
            Db.query(c, "SELECT RELEASE_LOCK(?) r", FAILOVER_LOCK);
        }
        List<String> purged = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < before.size(); i++) {
            Path p = before.get(i);
            if (!Files.exists(p)) {
                purged.add(p.getFileName().toString());
                Path link = i < links.size() ? links.get(i) : null;
                if (link != null && Files.exists(link)) bytes += Files.size(link);
            }
        }
        for (Path l : links) Files.deleteIfExists(l);
        if (!links.isEmpty()) Files.deleteIfExists(links.getFirst().getParent());
        String now = Db.query(c, d.showReplicaStatus()).getFirst().get("Relay_Log_File");
        List<String> kept = BinlogSeries.upTo(dir, now).stream().map(p -> p.getFileName().toString()).toList();
        return new Result(purged, bytes, kept, purged.isEmpty() ? "no relay log purged: the SQL thread has not finished the older ones"
                + " (is it stopped or behind?)" : "purged " + purged.size() + " relay log(s)");
    }

    private static List<Path> link(List<Path> files, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            Path l = dir.resolve(f.getFileName());
            Files.deleteIfExists(l);
            try {
                Files.createLink(l, f);
            } catch (IOException e) {
                // another filesystem: the server unlinks the files itself, as without --use_hardlink
                for (Path made : out) Files.deleteIfExists(made);
                return List.of();
            }
            out.add(l);
        }
        return out;
    }

    /** The SQL thread purges as it moves to the new relay log; wait until the files before its current one are gone. */
    private static void awaitPurge(Path dir, Connection c, Dialect d, long millis) throws SQLException, IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            String sqlFile = Db.query(c, d.showReplicaStatus()).getFirst().get("Relay_Log_File");
            List<Path> left = BinlogSeries.upTo(dir, sqlFile);
            if (left.size() <= 1) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
