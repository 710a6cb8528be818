package org.mha4j.rejoin;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mha4j.config.AppConfig;
import org.mha4j.promote.FailoverRecord;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mha rejoin} without GTID (file and position replication, MySQL 5.6's default). A failover by MHA4J records
 * where the two binlogs meet: how far in the dead master's binlog the new master holds everything, and the new master's
 * own position when it took the role, before any write. The old master holds something the new master lacks exactly
 * when its binlog has a transaction after the first of them; it continues from the second.
 */
final class PositionRejoin {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** What a record is searched among: the newest failovers and switches. */
    private static final int RECORDS = 200;
    /**
     * Events that carry no transaction: a restart or a rotation writes them at the head or the end of a file. Any other
     * event (Query, Table_map, rows, Xid, ...) after the recorded position is data the new master never got.
     */
    private static final Set<String> NOT_DATA = Set.of("format_desc", "format_description", "previous_gtids", "rotate", "stop",
            "binlog_checkpoint", "gtid_list", "start_encryption", "anonymous_gtid", "heartbeat", "ignorable");
    private static final Pattern POSITION = Pattern.compile("(.+):(\\d+)");

    private PositionRejoin() {}

    /** An event of the old master's binlog as SHOW BINLOG EVENTS lists it. */
    record Event(String file, long pos, String type, String info) {
        @Override
        public String toString() {
            return file + ":" + pos + "\t" + type + "\t" + info;
        }
    }

    /** The events after the meeting point that hold data (pure). */
    static List<Event> data(List<Event> after) {
        return after.stream().filter(e -> !NOT_DATA.contains(e.type().toLowerCase(java.util.Locale.ROOT))).toList();
    }

    static BinlogPosition parse(String filePos) {
        Matcher m = POSITION.matcher(filePos);
        if (!m.matches()) throw new IllegalArgumentException("not a binlog position (file:pos): " + filePos);
        return new BinlogPosition(m.group(1), Long.parseLong(m.group(2)));
    }

    static int run(AppConfig app, ServerSnapshot old, ServerSnapshot master, boolean dryRun, boolean flashback) {
        String o = old.config().id();
        String m = master.config().id();
        Optional<FailoverRecord> record = FailoverRecord.history(app, RECORDS).stream()
                .filter(r -> r.kind().equals("failover") && o.equals(r.master()) && r.newMaster() != null).findFirst();
        // only its newest failover that made a new master holds: an older record's positions would be stale
        if (record.isEmpty() || record.get().positions() == null) {
            log.error("GTID is off, and no failover record in {} names {} with the positions where its binlog and the new master's"
                    + " meet (a failover by MHA before, by hand, or by an MHA4J older than this one) [NO_GTID]. Rejoin it by hand:"
                    + " compare its binlog with what the master holds, then CHANGE MASTER it to {}; nothing changed.",
                    app.first().managerWorkdir(), old.label(), master.label());
            return 1;
        }
        FailoverRecord r = record.get();
        if (!m.equals(r.newMaster())) {
            log.error("The last failover of {} ({}) made {} the master, but the master now is {} (a switch since): the positions"
                    + " recorded then do not hold on it [NO_GTID]. Rejoin {} by hand; nothing changed.", old.label(), r.started(),
                    r.newMaster(), master.label(), old.label());
            return 1;
        }
        BinlogPosition meet = parse(r.positions().deadMaster());
        BinlogPosition from = parse(r.positions().newMaster());
        List<Event> after;
        try (Connection c = Db.connect(old.config(), Duration.ofSeconds(4), Duration.ofSeconds(60))) {
            after = eventsAfter(c, meet);
        } catch (SQLException e) {
            log.error("The binlog of {} cannot be read after {} ({}): what it holds beyond the master cannot be told; rejoin refused,"
                    + " nothing changed.", old.label(), meet, e.getMessage());
            return 1;
        }
        List<Event> extra = data(after);
        if (!extra.isEmpty()) {
            Optional<Path> archive = archive(app, old, meet, after);
            if (flashback) {
                log.error("--flashback needs GTID (its transactions are found by GTID); without it, rebuild {} or undo its events by"
                        + " hand; nothing changed.", old.label());
                return 1;
            }
            log.error("{} holds {} event(s) after {}, where the master {} took over (failover record of {}) [EXTRA_TRANSACTIONS]: data"
                            + " the master never got, first: {}. Rejoin refused, nothing changed. {}The two ways on: rebuild {} from a"
                            + " backup of the master (the archive keeps what only it held), or undo those events on it by hand and run"
                            + " mha rejoin again.", old.label(), extra.size(), meet, master.label(), r.started(), extra.getFirst(),
                    archive.map(a -> "They are listed in " + a + ". ").orElse(""), old.label());
            return 1;
        }
        log.info("{} holds nothing after {} (where the master {} took over, failover record of {}): it continues at the master's {}.",
                old.label(), meet, master.label(), r.started(), from);
        Dialect d = Dialect.of(old.version());
        return Rejoin.rejoin(app, old, master, dryRun, (user, p) -> d.changeMasterToPosition(master.config().ip(),
                master.config().port(), user, p, from));
    }

    /** Every event of the old master's binlog after {@code meet}: the rest of its file, then every later file. */
    private static List<Event> eventsAfter(Connection c, BinlogPosition meet) throws SQLException {
        List<String> files = Db.query(c, "SHOW BINARY LOGS").stream().map(row -> row.get("Log_name")).toList();
        if (!files.contains(meet.file())) {
            throw new SQLException(meet.file() + " is no longer among its binary logs (" + String.join(", ", files) + "): purged?");
        }
        List<Event> out = new ArrayList<>();
        for (String f : files.subList(files.indexOf(meet.file()), files.size())) {
            List<Map<String, String>> rows = f.equals(meet.file())
                    ? Db.query(c, "SHOW BINLOG EVENTS IN '" + f.replace("'", "''") + "' FROM " + meet.position())
                    : Db.query(c, "SHOW BINLOG EVENTS IN ?", f);
            for (Map<String, String> e : rows) {
                out.add(new Event(f, Long.parseLong(e.get("Pos")), e.get("Event_type"), e.getOrDefault("Info", "")));
            }
        }
        return out;
    }

    /** The listing of what follows the meeting point, and the raw events, in manager_workdir (0600), as the GTID rejoin's. */
    private static Optional<Path> archive(AppConfig app, ServerSnapshot old, BinlogPosition meet, List<Event> after) {
        StringBuilder sb = new StringBuilder("# MHA4J rejoin archive of " + old.label() + ", " + LocalDateTime.now() + "\n");
        sb.append("# its binlog after ").append(meet).append(", where the new master took over:\n");
        after.forEach(e -> sb.append(e).append('\n'));
        try {
            return Optional.of(Rejoin.writeArchive(app, old, sb, Optional.of(meet)).text());
        } catch (IOException e) {
            log.error("The archive could not be written ({}); the events after {}:\n{}", Workdir.reason(e), meet, sb);
            return Optional.empty();
        }
    }
}
