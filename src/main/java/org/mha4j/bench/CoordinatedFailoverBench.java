package org.mha4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.StatusFile;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.sandbox.SandboxFlavor;
import org.mha4j.sandbox.SandboxNode;

/**
 * {@code mha bench failover --managers N --coordination zookeeper}: N managers (separate processes, their own
 * manager_workdir each, as on N hosts) on a real three-server ZooKeeper ensemble. Each trial kills the master alone,
 * then the master and the leader manager at the same instant (one host dying with both): the difference is what the
 * standby's takeover costs (the leader's ZooKeeper session must expire first).
 */
public final class CoordinatedFailoverBench {
    private static final Pattern COMPLETED = Pattern.compile("Master failover to .* completed successfully");
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    public enum Fault { MASTER, MASTER_AND_LEADER }

    public record Trial(int n, Fault fault, long detectionMs, long failoverMs, long writeOutageMs, int acknowledged, int lost,
                        int failovers, String newMaster) {}

    private final Path dir;
    private final int managers;
    private final int nodes;
    private final int threads;
    private final SandboxFlavor flavor;

    public CoordinatedFailoverBench(Path dir, int managers, int nodes, int threads, SandboxFlavor flavor) {
        this.dir = dir;
        this.managers = managers;
        this.nodes = nodes;
        this.threads = threads;
        this.flavor = flavor;
    }

    public List<Trial> run(int trials) throws Exception {
        List<Trial> out = new ArrayList<>();
        try (ZkEnsemble zk = ZkEnsemble.start(Files.createDirectories(dir.resolve("zookeeper")), 3)) {
            int n = 0;
            for (int i = 0; i < trials; i++) {
                for (Fault f : Fault.values()) {
                    Trial t = trial(++n, f, zk);
                    System.out.printf("trial %d %s: failover %d ms, write outage %d ms, lost %d, failovers %d%n", t.n(), t.fault(),
                            t.failoverMs(), t.writeOutageMs(), t.lost(), t.failovers());
                    out.add(t);
                }
            }
        }
        return out;
    }

    private Trial trial(int n, Fault fault, ZkEnsemble zk) throws Exception {
        Path trialDir = dir.resolve("trial" + n + "-" + fault.name().toLowerCase());
        try (Sandbox sb = Sandbox.create(trialDir.resolve("sb"), nodes, 0, flavor).up()) {
            try (Connection c = sb.connect(1)) {
                LoadWriter.createTable(c);
            }
            String coordination = zk.coordination("127.0.0.1", "/bench/trial" + n);
            List<Path> confs = new ArrayList<>();
            List<Process> procs = new ArrayList<>();
            try {
                for (int m = 1; m <= managers; m++) {
                    Path mdir = Files.createDirectories(trialDir.resolve("manager" + m));
                    Path work = mdir.resolve("work");
                    Path conf = mdir.resolve("app1.conf");
                    Files.writeString(conf, Files.readString(sb.configFile())
                            .replaceAll("(?m)^manager_workdir=.*$", "manager_workdir=" + work)
                            .replaceAll("(?m)^manager_log=.*$", "manager_log=" + work.resolve("app1.log"))
                            .replace("[server default]\n", "[server default]\ncoordination=" + coordination
                                    + "\ncoordination_session_timeout=" + SESSION_TIMEOUT.toSeconds() + "\n"));
                    Path global = Files.writeString(mdir.resolve("empty-global.cnf"), "");
                    confs.add(conf);
                    // the first one started leads; the others wait as standbys
                    procs.add(FailoverBench.startManager(conf, global, mdir.resolve("manager.out"), new StatusFile(work, "app1"), null,
                            false, m == 1 ? ManagerStatus.PING_OK : ManagerStatus.STANDBY));
                }
                LoadWriter writer = new LoadWriter("127.0.0.1", sb.node(1).port(), Sandbox.ADMIN_USER, sb.adminPassword(), threads);
                Thread.sleep(1000 + ThreadLocalRandom.current().nextLong(1000));
                long t0 = System.nanoTime();
                AtomicLong writable = new AtomicLong();
                Thread probe = Thread.ofPlatform().start(() -> writable.set(FailoverBench.firstWrite(sb, t0)));
                if (fault == Fault.MASTER_AND_LEADER) {
                    procs.getFirst().destroyForcibly();
                }
                sb.killNode(1);
                FailoverBench.waitUntil(() -> FailoverBench.newMaster(sb).isPresent(), Duration.ofMinutes(3));
                long done = System.nanoTime();
                probe.join(Duration.ofSeconds(60));
                writer.awaitStopped(Duration.ofSeconds(30));
                writer.close();
                Thread.sleep(3000);  // a second failover, if any manager made one, would show by now
                Optional<SandboxNode> nm = FailoverBench.newMaster(sb);
                int lost;
                try (Connection c = sb.connect(nm.orElseThrow().index())) {
                    lost = writer.missingOn(c).size();
                }
                long detection = -1;
                int failovers = 0;
                for (Path conf : confs) {
                    String log = Files.readString(conf.resolveSibling("manager.out"));
                    Matcher completed = COMPLETED.matcher(log);
                    while (completed.find()) failovers++;
                    if (log.contains("Starting master failover")) {
                        Matcher d = FailoverBench.DETECTED.matcher(log);
                        if (d.find()) detection = Long.parseLong(d.group(1));
                    }
                }
                return new Trial(n, fault, detection, (done - t0) / 1_000_000, writable.get() == 0 ? -1 : (writable.get() - t0) / 1_000_000,
                        writer.acknowledged(), lost, failovers, nm.map(SandboxNode::block).orElse("none"));
            } finally {
                for (Process p : procs) p.destroyForcibly().waitFor();
            }
        }
    }

    /** The table and the figure the issue asks for: the standby's extra time when the leader dies with the master. */
    public static String report(List<Trial> trials, int managers) {
        StringBuilder sb = new StringBuilder(String.format("%-5s %-18s %10s %12s %10s %7s %5s %9s %-8s%n", "trial", "fault", "detect ms",
                "failover ms", "outage ms", "acked", "lost", "failovers", "new"));
        for (Trial t : trials) {
            sb.append(String.format("%-5d %-18s %10d %12d %10d %7d %5d %9d %-8s%n", t.n(), t.fault().name().toLowerCase(), t.detectionMs(),
                    t.failoverMs(), t.writeOutageMs(), t.acknowledged(), t.lost(), t.failovers(), t.newMaster()));
        }
        List<Long> alone = trials.stream().filter(t -> t.fault() == Fault.MASTER).map(Trial::writeOutageMs).toList();
        List<Long> withLeader = trials.stream().filter(t -> t.fault() == Fault.MASTER_AND_LEADER).map(Trial::writeOutageMs).toList();
        String a = FailoverBench.median(alone);
        String b = FailoverBench.median(withLeader);
        sb.append(String.format("median write outage with %d managers on ZooKeeper (session timeout %d s): master killed %s ms; master and"
                + " leader manager killed together %s ms", managers, SESSION_TIMEOUT.toSeconds(), a, b));
        if (!a.equals("-") && !b.equals("-")) {
            sb.append(String.format("; the standby's takeover adds %d ms", Long.parseLong(b) - Long.parseLong(a)));
        }
        sb.append('\n');
        return sb.toString();
    }
}
