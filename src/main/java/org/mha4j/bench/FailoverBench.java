package org.mha4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mha4j.config.ServerConfig;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.StatusFile;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.sandbox.SandboxFlavor;
import org.mha4j.sandbox.SandboxNode;
import org.mha4j.semisync.SemiSyncSql;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;

/**
 * Failovers under write load, one fresh sandbox per trial, the manager a separate process as in production: the fault
 * is injected into the master, and the trial measures detection, each phase, the client-visible write outage,
 * acknowledged commits lost, commits that only the old master has when it comes back, and the manager's CPU time and
 * peak RSS. Prints figures; judges nothing (the integration test does).
 */
public final class FailoverBench {

    /**
     * kill -9; SIGSTOP (a hung master, resumed after the failover); a clean shutdown; kill -9 of the master and, right
     * after, of the last replica (ignore_fail=1 on it); kill -9 of the manager and a new one started before the master dies;
     * the replicas' acknowledgements held back (SIGSTOP) until the master falls back to async, then kill -9 of the master
     * a random 0-1 s after they resume; the master cut off from the manager and the replicas (a network namespace and a
     * frozen link) with its clients still writing, the partition healed after the failover.
     */
    public enum Fault {
        KILL, STOP, SHUTDOWN, REPLICA_DIES, MANAGER_RESTART, FALLBACK_THEN_KILL, PARTITION,
        /** Only the manager loses the master, for {@link #NO_FAILOVER_WINDOW}: a failover would be a false one. */
        MANAGER_CUT,
        /** 30 % of the master's packets lost (TCP retransmits them), for the manager and the replicas, for the window. */
        PACKET_LOSS;

        /** The master is alive all along: the right outcome is no failover. */
        public boolean healthyMaster() {
            return this == MANAGER_CUT || this == PACKET_LOSS;
        }

        boolean partitioned() {
            return this == PARTITION || healthyMaster();
        }
    }

    /** How long a fault that must not cause a failover lasts. */
    public static final Duration NO_FAILOVER_WINDOW = Duration.ofSeconds(60);

    /**
     * @param positionReplication replicas by binlog file and position (MHA's non-GTID failover with the node tools)
     * @param semiSyncTimeout     semi_sync_timeout for the master and the config (milliseconds or infinite); empty: the sandbox's
     */
    /**
     * @param serverDefaults undo the sandbox's network tuning before each trial: slave_net_timeout=60 and a heartbeat
     *                       every 30 s (the servers' defaults), as production servers run
     */
    public record Settings(Path dir, int nodes, int threads, SandboxFlavor flavor, int pingInterval, boolean semiSync,
                           boolean positionReplication, Optional<String> semiSyncTimeout, boolean serverDefaults) {
        public Settings(Path dir, int nodes, int threads, SandboxFlavor flavor, int pingInterval, boolean semiSync,
                        boolean positionReplication) {
            this(dir, nodes, threads, flavor, pingInterval, semiSync, positionReplication, Optional.empty(), false);
        }

        public long semiSyncTimeoutMs() {
            return semiSyncTimeout.map(ServerConfig::semiSyncTimeoutMs).orElse((long) Sandbox.SEMI_SYNC_TIMEOUT_MS);
        }
    }

    /**
     * @param lost    acknowledged commits the new master lacks; after a partition, those the old master acknowledged alone
     * @param fenceMs partition: from the partition healing to the old master read-only; -1 for other faults
     * @param lostIds the ledger ids of the lost acknowledged commits (in the JSON only)
     */
    public record Trial(int n, Fault fault, boolean failedOver, long detectionMs, Map<String, Long> phaseMs, long failoverMs,
                        long writeOutageMs, int acknowledged, int lost, int neverAcknowledged, int onlyOnOldMaster, String newMaster,
                        long managerCpuMs, long managerPeakRssKb, long fenceMs, List<Integer> lostIds) {
        public Trial {
            phaseMs = Collections.unmodifiableMap(new LinkedHashMap<>(phaseMs));
            lostIds = List.copyOf(lostIds);
        }
    }

    static final Pattern DETECTED = Pattern.compile("Detected (\\d+) ms after the first failed ping");
    private static final Pattern PHASE = Pattern.compile("\\* (Phase \\d)[^\\n]* completed in (\\d+) ms");

    private final Settings s;

    public FailoverBench(Settings s) {
        this.s = s;
    }

    public Trial trial(int n, Fault fault) throws Exception {
        Sandbox created = Sandbox.create(s.dir().resolve("trial" + n + "-" + fault.name().toLowerCase()), s.nodes(), 0, s.flavor());
        if (s.positionReplication()) created.positionReplication();
        try (Sandbox sb = created.up()) {
            Path conf = sb.dir().resolve("bench.conf");
            String text = Files.readString(sb.configFile()).replace("ping_interval=1", "ping_interval=" + s.pingInterval());
            if (fault == Fault.REPLICA_DIES) text = text.replace("[server" + s.nodes() + "]\n", "[server" + s.nodes() + "]\nignore_fail=1\n");
            if (s.semiSyncTimeout().isPresent()) text = text.replaceAll("semi_sync_timeout=\\d+", "semi_sync_timeout=" + s.semiSyncTimeout().get());
            Files.writeString(conf, text);
            try (Connection c = sb.connect(1)) {
                LoadWriter.createTable(c);
                for (String sql : SemiSyncSql.classicMaster(s.semiSync() ? Optional.empty() : Optional.of(false), s.semiSyncTimeoutMs())) {
                    Db.execute(c, sql);
                }
            }
            if (s.serverDefaults()) serverDefaults(sb);
            Path global = Files.writeString(sb.dir().resolve("empty-global.cnf"), "");
            Path out = sb.dir().resolve("manager.out");
            StatusFile status = new StatusFile(sb.dir().resolve("manager"), "bench");  // the app is named after bench.conf
            try (PartitionedCluster partitioned = fault.partitioned() ? PartitionedCluster.create(sb, conf) : null) {
                return run(n, fault, sb, conf, global, out, status, partitioned);
            }
        }
    }

    private Trial run(int n, Fault fault, Sandbox sb, Path conf, Path global, Path out, StatusFile status,
                      PartitionedCluster partitioned) throws Exception {
        // after a partition the manager keeps watching the old master, to fence it when the partition heals
        boolean exitAfterFailover = !fault.partitioned();
        Process manager = startManager(conf, global, out, status, partitioned, exitAfterFailover);
        if (fault == Fault.MANAGER_RESTART) {
            manager.destroyForcibly().waitFor();
            manager = startManager(conf, global, out, status, partitioned, exitAfterFailover);  // finds the dead one's status file, warns, takes over
        }
        ProcStats stats = ProcStats.watch(manager.pid());
        LoadWriter writer = new LoadWriter("127.0.0.1", sb.node(1).port(), Sandbox.ADMIN_USER, sb.adminPassword(), s.threads());
        // A fault strikes at any moment of a ping interval. The manager has just written its first good check, so a fixed
        // sleep would put every fault right after a check, where the wait for the next one is longest: draw the offset.
        Thread.sleep(1000 + ThreadLocalRandom.current().nextLong(s.pingInterval() * 1000L));
        long masterPid = Long.parseLong(Files.readString(sb.node(1).pidFile()).strip());
        if (fault == Fault.FALLBACK_THEN_KILL) {
            holdAcknowledgementsUntilFallback(sb);
            Thread.sleep(ThreadLocalRandom.current().nextInt(1001));
        }
        long t0 = System.nanoTime();
        AtomicLong writable = new AtomicLong();
        Thread probe = Thread.ofPlatform().start(() -> writable.set(firstWrite(sb, t0)));
        switch (fault) {
            case KILL, MANAGER_RESTART, FALLBACK_THEN_KILL -> sb.killNode(1);
            case PARTITION -> partitioned.isolateMaster();
            case MANAGER_CUT -> partitioned.cutManagerFrom(1);
            case PACKET_LOSS -> partitioned.lossyMaster(0.3);
            case STOP -> signal("STOP", masterPid);
            case SHUTDOWN -> Thread.ofPlatform().start(() -> sb.stopNode(1));
            case REPLICA_DIES -> {
                sb.killNode(1);
                sb.killNode(s.nodes());
            }
        }
        boolean exited;
        long failoverDone;
        long fenceMs = -1;
        if (fault.healthyMaster()) {
            Process m = manager;
            within(() -> newMaster(sb).isPresent() || !m.isAlive(), NO_FAILOVER_WINDOW);
            failoverDone = System.nanoTime();
            if (fault == Fault.MANAGER_CUT) partitioned.healManagerTo(1);
            else partitioned.lossyMaster(0);
            manager.destroy();
            exited = manager.waitFor(30, TimeUnit.SECONDS);
        } else if (fault == Fault.PARTITION) {
            Process m = manager;
            waitUntil(() -> newMaster(sb).isPresent() || !m.isAlive(), Duration.ofMinutes(3));
            failoverDone = System.nanoTime();
            partitioned.healMaster();
            long healed = System.nanoTime();
            fenceMs = readOnlyWithin(sb, 1, Duration.ofSeconds(30)) ? (System.nanoTime() - healed) / 1_000_000 : -1;
            manager.destroy();
            exited = manager.waitFor(30, TimeUnit.SECONDS);
        } else {
            exited = manager.waitFor(3, TimeUnit.MINUTES);
            failoverDone = System.nanoTime();
        }
        if (!exited) manager.destroyForcibly();
        if (fault.healthyMaster()) probe.interrupt();  // no new master is coming: nothing to wait for
        probe.join(Duration.ofSeconds(60));
        writer.awaitStopped(Duration.ofSeconds(30));
        writer.close();
        stats.stop();
        String log = Files.readString(out);
        // the sandbox goes with the trial; its manager log stays for reading
        Files.copy(out, s.dir().resolve("trial" + n + "-" + fault.name().toLowerCase() + "-manager.log"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Optional<SandboxNode> nm = newMaster(sb);
        int lost = -1;
        List<Integer> lostIds = List.of();
        int unacked = -1;
        Set<Integer> onNew = Set.of();
        if (nm.isPresent()) {
            try (Connection c = sb.connect(nm.get().index())) {
                lostIds = List.copyOf(writer.missingOn(c));
                lost = lostIds.size();
                onNew = ids(c);
                unacked = (int) onNew.stream().filter(id -> id > 0 && !writer.wasAcknowledged(id)).count();
            }
        }
        int onlyOld = onlyOnOldMaster(sb, fault, masterPid, onNew);
        // with a healthy master "done" is a false failover: a new master exists
        // with a replica dead too (ignore_fail=1) the failover leaves it out and exits 10, as MHA's does
        int expectedExit = fault == Fault.REPLICA_DIES ? 10 : 0;
        boolean done = fault.healthyMaster() || (fault == Fault.PARTITION ? log.contains("completed successfully") : exited && manager.exitValue() == expectedExit);
        Matcher d = DETECTED.matcher(log);
        Map<String, Long> phases = new LinkedHashMap<>();
        Matcher p = PHASE.matcher(log);
        while (p.find()) phases.put(p.group(1), Long.parseLong(p.group(2)));
        return new Trial(n, fault, done && nm.isPresent(), d.find() ? Long.parseLong(d.group(1)) : -1,
                phases, (failoverDone - t0) / 1_000_000, writable.get() == 0 ? -1 : (writable.get() - t0) / 1_000_000,
                writer.acknowledged(), lost, unacked, onlyOld, nm.map(SandboxNode::block).orElse("none"), stats.cpuMillis(), stats.peakRssKb(),
                fenceMs, lostIds);
    }

    /** The servers' own network defaults instead of the sandbox's: slave_net_timeout=60, a heartbeat every 30 s. */
    private static void serverDefaults(Sandbox sb) throws SQLException {
        for (int n = 1; n <= sb.nodes().size(); n++) {
            try (Connection c = sb.connect(n)) {
                Db.execute(c, "SET GLOBAL slave_net_timeout=60");
                Dialect d = Dialect.of(c);
                if (d.replicaStatusOf(c).isPresent()) {
                    Db.execute(c, d.stopReplica());
                    Db.execute(c, d.setHeartbeatPeriod(30));
                    Db.execute(c, d.startReplica());
                }
            }
        }
    }

    private static Process startManager(Path conf, Path global, Path out, StatusFile status, PartitionedCluster partitioned,
                                        boolean exitAfterFailover) throws Exception {
        return startManager(conf, global, out, status, partitioned, exitAfterFailover, ManagerStatus.PING_OK);
    }

    /**
     * @param partitioned when set, the manager runs on its own "host" (network namespace)
     * @param expected    the status it reaches once it watches (STANDBY for a manager that does not lead)
     */
    static Process startManager(Path conf, Path global, Path out, StatusFile status, PartitionedCluster partitioned,
                                boolean exitAfterFailover, ManagerStatus expected) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "org.mha4j.cli.Main", "masterha_manager", "--conf=" + conf,
                "--global_conf=" + global, "--ignore_last_failover"));
        if (exitAfterFailover) cmd.add("--exit_after_failover");
        Process p = new ProcessBuilder(partitioned == null ? cmd : partitioned.onManagerHost(cmd))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        waitUntil(() -> status.read().map(x -> x.status() == expected && x.pid() == p.pid()).orElse(false),
                Duration.ofSeconds(60));
        return p;
    }

    /**
     * The replicas stop (SIGSTOP) so that no acknowledgement comes; the master's next commit waits out the semi-sync
     * timeout and it falls back to async, acknowledging commits no replica has; then the replicas resume. With
     * semi_sync_timeout=infinite it never falls back: after a few seconds the replicas resume anyway.
     */
    private void holdAcknowledgementsUntilFallback(Sandbox sb) throws Exception {
        List<Long> replicas = new ArrayList<>();
        for (SandboxNode r : sb.nodes().subList(1, sb.nodes().size())) replicas.add(Long.parseLong(Files.readString(r.pidFile()).strip()));
        for (long pid : replicas) signal("STOP", pid);
        try {
            // an infinite timeout never ends: then the replicas are held back 3 s, as long as the default's fallback takes
            long waitMs = (s.semiSyncTimeoutMs() >= ServerConfig.SEMI_SYNC_TIMEOUT_INFINITE_MS ? 0 : s.semiSyncTimeoutMs()) + 3_000;
            long deadline = System.nanoTime() + waitMs * 1_000_000;
            while (System.nanoTime() < deadline && !"OFF".equalsIgnoreCase(sb.value(1,
                    "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='RPL_SEMI_SYNC_MASTER_STATUS'"))) {
                Thread.sleep(50);
            }
        } finally {
            for (long pid : replicas) signal("CONT", pid);
        }
    }

    private static boolean readOnlyWithin(Sandbox sb, int node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if ("1".equals(sb.value(node, "SELECT @@read_only"))) return true;
            } catch (RuntimeException notYet) {
                // not answering yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** What the old master holds that the new one lacks, once it is back: commits no replica had (0 with semi-sync). */
    private static int onlyOnOldMaster(Sandbox sb, Fault fault, long pid, Set<Integer> onNew) {
        try {
            if (fault == Fault.REPLICA_DIES) sb.startNode(sb.nodes().size());
            if (fault.partitioned()) {
                // it never stopped: the partition healed and it was fenced (or it was never failed over)
            } else if (fault == Fault.STOP) {
                signal("CONT", pid);
                Thread.sleep(Sandbox.SEMI_SYNC_TIMEOUT_MS + 1000L);  // commits it held wait out the semi-sync timeout, then land
            } else {
                sb.startNode(1);
            }
            try (Connection c = sb.connect(1)) {
                Set<Integer> old = ids(c);
                old.removeAll(onNew);
                return old.size();
            }
        } catch (Exception e) {
            return -1;
        }
    }

    private static Set<Integer> ids(Connection c) throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + LoadWriter.TABLE)) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }

    static Optional<SandboxNode> newMaster(Sandbox sb) {
        for (SandboxNode n : sb.nodes().subList(1, sb.nodes().size())) {
            try (Connection c = sb.connect(n.index())) {
                if ("0".equals(Db.query(c, "SELECT @@read_only AS ro").getFirst().get("ro")) && Db.query(c, "SHOW SLAVE STATUS").isEmpty()) {
                    return Optional.of(n);
                }
            } catch (SQLException e) {
                // not this one
            }
        }
        return Optional.empty();
    }

    static void signal(String sig, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor();
    }

    /** The first moment another node takes a write: what a client that follows the master sees. */
    static long firstWrite(Sandbox sb, long since) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            for (SandboxNode n : sb.nodes().subList(1, sb.nodes().size())) {
                try (Connection c = Db.connect("127.0.0.1", n.port(), Sandbox.ADMIN_USER, sb.adminPassword(), Duration.ofMillis(500), Duration.ofSeconds(5))) {
                    if (Db.query(c, "SELECT @@read_only AS ro").getFirst().get("ro").equals("0")) {
                        Db.execute(c, "INSERT INTO " + LoadWriter.TABLE + " (id, writer) VALUES (" + (-1 - n.index()) + ", -1)");
                        return System.nanoTime();
                    }
                } catch (SQLException e) {
                    // not this one, not yet
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return 0;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** @return whether {@code c} held before the timeout */
    private static boolean within(Check c, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.ok()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(100);
        }
        return true;
    }

    static void waitUntil(Check c, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.ok()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for the manager");
            Thread.sleep(100);
        }
    }

    public static String median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(Long::compare);
        return s.isEmpty() ? "-" : Long.toString(s.get(s.size() / 2));
    }

    /** Table for people. */
    public static String table(List<Trial> trials) {
        StringBuilder sb = new StringBuilder(String.format("%-5s %-18s %-9s %10s %28s %9s %10s %7s %5s %7s %9s %-8s %7s %8s %8s%n",
                "trial", "fault", "failover", "detect ms", "phases 1/2/3/4/5 ms", "total ms", "outage ms", "acked", "lost",
                "unacked", "old-only", "new", "cpu ms", "rss KB", "fence ms"));
        for (Trial t : trials) {
            sb.append(String.format("%-5d %-18s %-9s %10d %28s %9d %10d %7d %5d %7d %9d %-8s %7d %8d %8s%n", t.n(), t.fault().name().toLowerCase(),
                    outcome(t), t.detectionMs(), String.join("/", t.phaseMs().values().stream().map(String::valueOf).toList()),
                    t.failoverMs(), t.writeOutageMs(), t.acknowledged(), t.lost(), t.neverAcknowledged(), t.onlyOnOldMaster(), t.newMaster(),
                    t.managerCpuMs(), t.managerPeakRssKb(), t.fenceMs() < 0 ? "-" : Long.toString(t.fenceMs())));
        }
        return sb.toString();
    }

    /** A healthy master's trial is right when nothing was failed over. */
    private static String outcome(Trial t) {
        if (t.fault().healthyMaster()) return t.failedOver() ? "FALSE" : "none-ok";
        return t.failedOver() ? "done" : "FAILED";
    }

    /** The same for machines. */
    public static String json(Settings s, List<Trial> trials) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("flavor", s.flavor().id);
            g.writeNumberField("nodes", s.nodes());
            g.writeNumberField("threads", s.threads());
            g.writeNumberField("ping_interval", s.pingInterval());
            g.writeBooleanField("semi_sync", s.semiSync());
            g.writeNumberField("semi_sync_timeout_ms", s.semiSyncTimeoutMs());
            g.writeStringField("replication", s.positionReplication() ? "position" : "gtid");
            g.writeArrayFieldStart("trials");
            for (Trial t : trials) {
                g.writeStartObject();
                g.writeNumberField("trial", t.n());
                g.writeStringField("fault", t.fault().name().toLowerCase());
                g.writeBooleanField("failed_over", t.failedOver());
                g.writeNumberField("detection_ms", t.detectionMs());
                g.writeObjectFieldStart("phases_ms");
                for (var e : t.phaseMs().entrySet()) g.writeNumberField(e.getKey(), e.getValue());
                g.writeEndObject();
                g.writeNumberField("failover_ms", t.failoverMs());
                g.writeNumberField("write_outage_ms", t.writeOutageMs());
                g.writeNumberField("acknowledged", t.acknowledged());
                g.writeNumberField("lost", t.lost());
                g.writeNumberField("present_never_acknowledged", t.neverAcknowledged());
                g.writeNumberField("only_on_old_master", t.onlyOnOldMaster());
                g.writeStringField("new_master", t.newMaster());
                g.writeNumberField("manager_cpu_ms", t.managerCpuMs());
                g.writeNumberField("manager_peak_rss_kb", t.managerPeakRssKb());
                g.writeNumberField("fence_ms", t.fenceMs());
                g.writeArrayFieldStart("lost_ids");
                for (int id : t.lostIds()) g.writeNumber(id);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);  // a StringWriter does not fail
        }
        return out.toString();
    }
}
