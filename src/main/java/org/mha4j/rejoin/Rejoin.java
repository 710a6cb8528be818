package org.mha4j.rejoin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.config.AppConfig;
import org.mha4j.config.SemiSyncMode;
import org.mha4j.config.ServerConfig;
import org.mha4j.monitor.NeedsRejoin;
import org.mha4j.promote.Promotion;
import org.mha4j.promote.ServerSession;
import org.mha4j.promote.Steps;
import org.mha4j.semisync.SemiSyncSql;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.Flavor;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.MasterResolver;
import org.mha4j.topology.ServerProbe;
import org.mha4j.topology.ServerLabels;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.Topology;
import org.mha4j.topology.TopologyDiscovery;
import org.mha4j.workdir.Workdir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mha rejoin}: an old master back after a failover becomes a replica of the current master when it holds
 * nothing the master lacks; otherwise what only it holds is archived in manager_workdir and the rejoin refused, with the
 * archive's path and the choices left. The I/O around {@link RejoinDecision}.
 */
public final class Rejoin {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** Binlog files of the old master searched for its extra transactions, newest first. */
    private static final int ARCHIVE_FILES = 3;

    private Rejoin() {}

    /** @return 0 rejoined (or nothing to do), 1 refused or failed */
    public static int run(AppConfig app, ServerConfig target, boolean dryRun, boolean flashback) {
        Topology everyone = new TopologyDiscovery().discover(app);
        if (MasterResolver.resolve(everyone) instanceof MasterResolution.Resolved all && all.master().equals(target)) {
            log.error("{} is the current master: nothing to rejoin [{}]; nothing changed.", ServerLabels.label(target),
                    RejoinDecision.Code.IS_MASTER);
            return 1;
        }
        // the master among the others: the old master, replicating from nothing, would look like a second master
        AppConfig others = new AppConfig(app.file(), app.globalFile(), app.appName(),
                app.servers().stream().filter(s -> !s.equals(target)).toList());
        Topology t = new Topology(others, everyone.probes().stream().filter(p -> !p.config().equals(target)).toList());
        if (!(MasterResolver.resolve(t) instanceof MasterResolution.Resolved r) || r.masterSnapshot().isEmpty()) {
            log.error("The current master of {} cannot be determined (or does not answer): run masterha_check_repl --conf={}; nothing changed.",
                    app.appName(), app.file());
            return 1;
        }
        ServerSnapshot master = r.masterSnapshot().get();
        Optional<ServerSnapshot> old = everyone.probe(target).flatMap(ServerProbe::alive);
        if (old.isEmpty()) {
            log.error("{} does not answer: start it (it must not take writes: read_only=1 in its my.cnf) and run mha rejoin again;"
                    + " nothing changed.", ServerLabels.label(target));
            return 1;
        }
        RejoinDecision.Verdict v = RejoinDecision.decide(old.get(), master);
        switch (v.code()) {
            case ALREADY_REPLICA -> {
                log.info("{} [{}]", v.reason(), v.code());
                NeedsRejoin.of(app).clear(target.id());
                return 0;
            }
            case EXTRA_TRANSACTIONS -> {
                Archive archive = archive(app, old.get(), master, v.extra().orElseThrow());
                if (flashback) return Flashback.run(app, old.get(), master, archive, dryRun);
                log.error("{} [{}]. Rejoin refused, nothing changed. {}The two ways on: rebuild {} from a backup of the master (the"
                                + " archive keeps what only it held, to be re-applied by hand where it still matters), or undo those"
                                + " transactions on it and rejoin (MariaDB, row-based: mha rejoin --flashback).",
                        v.reason(), v.code(), archive.text().map(a -> "What only it holds is listed in " + a + ". ").orElse(""), old.get().label());
                return 1;
            }
            case REJOIN -> {
                return rejoin(app, old.get(), master, dryRun, false);
            }
            case NO_GTID -> {
                log.info("{} [{}]", v.reason(), v.code());
                return PositionRejoin.run(app, old.get(), master, dryRun, flashback);
            }
            default -> {
                log.error("{} [{}]; nothing changed.", v.reason(), v.code());
                return 1;
            }
        }
    }

    /**
     * @param bySlavePos follow from gtid_slave_pos (set by the caller: a flashback) instead of what its binlog holds
     */
    static int rejoin(AppConfig app, ServerSnapshot old, ServerSnapshot master, boolean dryRun, boolean bySlavePos) {
        Dialect d = Dialect.of(old.version());
        return rejoin(app, old, master, dryRun, (user, p) -> bySlavePos
                ? d.changeMaster(master.config().ip(), master.config().port(), user, p)
                : d.changeMasterForFormerMaster(master.config().ip(), master.config().port(), user, p));
    }

    /** @param changeMaster the CHANGE MASTER statement for the replication user and a password */
    static int rejoin(AppConfig app, ServerSnapshot old, ServerSnapshot master, boolean dryRun,
                      java.util.function.BiFunction<String, String, String> changeMaster) {
        Promotion promotion = new Promotion(app, new Steps(), Duration.ofSeconds(60));
        if (promotion.replPassword().isEmpty()) {
            log.error("repl_password is needed in {} to make {} a replica; nothing changed.", app.file(), old.label());
            return 1;
        }
        String user = promotion.replUser(master);
        List<String> plan = new ArrayList<>(List.of("SET GLOBAL read_only=1"));
        if (old.replica().isPresent()) plan.add(Dialect.of(old.version()).stopReplica());
        if (semiSyncManaged(app, old)) plan.addAll(SemiSyncSql.giveUpMasterRole(old));
        java.util.function.Function<String, String> change = p -> changeMaster.apply(user, p);
        String shown = change.apply("******");
        if (dryRun) {
            log.info("--dry-run: {} holds nothing the master {} lacks; would run on it:", old.label(), master.label());
            plan.forEach(s -> log.info("  {}", s));
            log.info("  {}", shown);
            log.info("  {}", Dialect.of(old.version()).startReplica());
            return 0;
        }
        try (ServerSession ss = promotion.session(old)) {
            for (String sql : plan) ss.exec(sql);
            Optional<String> problem = promotion.follow(ss, change);
            if (problem.isPresent()) {
                log.error("{} was re-pointed at {} but does not replicate: {}", old.label(), master.label(), problem.get());
                return 1;
            }
        } catch (SQLException e) {
            log.error("Rejoining {} failed: {}", old.label(), e.getMessage());
            return 1;
        }
        NeedsRejoin.of(app).clear(old.config().id());
        log.info("{} rejoined: it replicates from the master {}, read-only.", old.label(), master.label());
        return 0;
    }

    /** Its semi-sync sides follow the manager's setting, or the old master's own when semi-sync is unmanaged but on. */
    private static boolean semiSyncManaged(AppConfig app, ServerSnapshot old) {
        return app.first().semiSync() == SemiSyncMode.ON || old.semiSync().masterEnabled();
    }

    /**
     * @param text       the listing
     * @param raw        the raw events from the first extra transaction to the end of the binlog
     * @param firstExtra where the first extra transaction starts
     * @param onlyExtraAfter every transaction from {@code firstExtra} on is an extra one (what a flashback needs)
     */
    record Archive(Optional<Path> text, Optional<Path> raw, Optional<BinlogPosition> firstExtra, boolean onlyExtraAfter) {}

    /**
     * What only the old master holds, for the operator: the GTID sets, and each of those transactions' events as the
     * server lists them (SHOW BINLOG EVENTS, its newest binlog files), in {@code <manager_workdir>/<app>.rejoin_archive.<host>_<port>.<time>.txt}
     * (0600), and the raw events beside it ({@code .binlog}).
     */
    static Archive archive(AppConfig app, ServerSnapshot old, ServerSnapshot master, GtidSet extra) {
        StringBuilder sb = new StringBuilder();
        sb.append("# MHA4J rejoin archive of ").append(old.label()).append(", ").append(LocalDateTime.now()).append('\n');
        sb.append("# only on it:        ").append(extra).append('\n');
        sb.append("# the old master has ").append(old.gtid().executed()).append('\n');
        sb.append("# the master ").append(master.label()).append(" has ").append(master.gtid().executed()).append('\n');
        Scan scan = new Scan();
        try (Connection c = Db.connect(old.config(), Duration.ofSeconds(4), Duration.ofSeconds(60))) {
            List<String> files = Db.query(c, "SHOW BINARY LOGS").stream().map(row -> row.get("Log_name")).toList();
            for (int i = Math.max(0, files.size() - ARCHIVE_FILES); i < files.size(); i++) {
                listExtra(c, files.get(i), old.version().flavor(), extra, sb, scan);
            }
        } catch (SQLException e) {
            sb.append("# its binlog could not be listed: ").append(e.getMessage()).append('\n');
        }
        try {
            Written w = writeArchive(app, old, sb, Optional.ofNullable(scan.first));
            return new Archive(Optional.of(w.text()), w.raw(), Optional.ofNullable(scan.first), scan.first != null && !scan.otherAfterFirst);
        } catch (IOException e) {
            log.error("The archive could not be written ({}); what only the old master holds: {}", Workdir.reason(e), extra);
            return new Archive(Optional.empty(), Optional.empty(), Optional.ofNullable(scan.first), false);
        }
    }

    /** An archive's listing and, when they could be copied, its raw events. */
    record Written(Path text, Optional<Path> raw) {}

    /**
     * {@code <manager_workdir>/<app>.rejoin_archive.<host>_<port>.<time>.txt} (0600) with {@code listing}, and the raw
     * events of the old master's binlog from {@code rawFrom} on beside it ({@code .binlog}), when given and readable.
     */
    static Written writeArchive(AppConfig app, ServerSnapshot old, StringBuilder listing, Optional<BinlogPosition> rawFrom) throws IOException {
        Path dir = Workdir.create(Path.of(app.first().managerWorkdir()));
        String base = app.appName() + ".rejoin_archive." + old.config().hostname() + "_" + old.config().port() + "."
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        Optional<Path> raw = rawFrom.flatMap(at -> rawEvents(old.config(), at, dir.resolve(base + ".binlog")));
        raw.ifPresent(r -> listing.append("# the raw events, from ").append(rawFrom.get()).append(", in ").append(r)
                .append(": mariadb-binlog (mysqlbinlog) ").append(r).append(" renders them as SQL\n"));
        Path file = dir.resolve(base + ".txt");
        Files.writeString(file, listing);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return new Written(file, raw);
    }

    /** Where the extra transactions start, and whether any other transaction follows them. */
    private static final class Scan {
        BinlogPosition first;
        boolean otherAfterFirst;
    }

    /** The events of the transactions of {@code file} whose GTID is in {@code extra}, one line each. */
    private static void listExtra(Connection c, String file, Flavor flavor, GtidSet extra, StringBuilder sb, Scan scan) throws SQLException {
        boolean inExtra = false;
        for (Map<String, String> e : Db.query(c, "SHOW BINLOG EVENTS IN ?", file)) {
            String type = e.get("Event_type");
            String info = e.getOrDefault("Info", "");
            if (type.equalsIgnoreCase("Gtid")) {
                Optional<GtidSet> gtid = gtidOf(flavor, info);
                inExtra = gtid.filter(g -> !g.isEmpty() && extra.containsAll(g)).isPresent();
                if (inExtra && scan.first == null) scan.first = new BinlogPosition(file, Long.parseLong(e.get("Pos")));
                if (!inExtra && scan.first != null) scan.otherAfterFirst = true;
            }
            if (inExtra) {
                sb.append(file).append(':').append(e.get("Pos")).append('-').append(e.get("End_log_pos")).append('\t').append(type)
                        .append('\t').append(info).append('\n');
            }
        }
    }

    /**
     * The old master's binlog from the first extra transaction to its end, raw, read over SFTP as a failover reads a
     * dead master's: what mariadb-binlog renders or a flashback undoes, kept after the server is rebuilt.
     */
    private static Optional<Path> rawEvents(ServerConfig old, BinlogPosition from, Path out) {
        try (org.mha4j.ssh.RemoteShell sh = org.mha4j.ssh.RemoteShell.forServer(old, true);
             java.nio.file.FileSystem host = sh.files(org.mha4j.ssh.SshTarget.of(old))) {
            Path dir = org.mha4j.node.BinlogTail.locate(old.masterBinlogDirs().stream().map(host::getPath).toList(), from.file());
            org.mha4j.node.BinlogTail.save(dir, from.file(), from.position(), out);
            Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return Optional.of(out);
        } catch (Exception e) {
            log.warn("The raw events of {} could not be copied ({}); the listing in the archive says where they are.", from, e.getMessage());
            return Optional.empty();
        }
    }

    /** The GTID a Gtid event's Info names: MariaDB "BEGIN GTID 0-10-5", MySQL "SET @@SESSION.GTID_NEXT= 'uuid:5'". */
    static Optional<GtidSet> gtidOf(Flavor flavor, String info) {
        java.util.regex.Matcher m = (flavor == Flavor.MARIADB ? java.util.regex.Pattern.compile("GTID (\\d+-\\d+-\\d+)")
                : java.util.regex.Pattern.compile("GTID_NEXT\\s*=\\s*'([0-9a-fA-F-]+:\\d+)'")).matcher(info);
        return m.find() ? Optional.of(GtidSet.parse(flavor, m.group(1))) : Optional.empty();
    }
}
