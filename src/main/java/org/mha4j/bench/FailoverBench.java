package org.mha4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.mha4j.failover.FailoverOptions;
import org.mha4j.failover.FailoverRunner;
import org.mha4j.monitor.Manager;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.StatusFile;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.sandbox.SandboxNode;
import org.mha4j.topology.Db;

/**
 * Repeated failovers on a fresh local sandbox under write load: kill -9 of the master, measured detection, phases,
 * client-visible write outage, and acknowledged transactions lost (must be 0 with semi-sync). Prints figures;
 * asserts nothing.
 */
public final class FailoverBench {

    public record Trial(long detectionMs, Map<String, Long> phaseMs, long failoverMs, long writeOutageMs, int acknowledged,
                        int lost, String newMaster) {}

    private final Path dir;
    private final int nodes;
    private final int clients;
    private final org.mha4j.sandbox.SandboxFlavor flavor;

    public FailoverBench(Path dir, int nodes, int clients, org.mha4j.sandbox.SandboxFlavor flavor) {
        this.dir = dir;
        this.nodes = nodes;
        this.clients = clients;
        this.flavor = flavor;
    }

    public Trial trial(int n) throws Exception {
        try (Sandbox sb = Sandbox.create(dir.resolve("trial" + n), nodes, 0, flavor).up()) {
            try (Connection c = sb.connect(1)) {
                LoadWriter.createTable(c);
            }
            Path global = Files.writeString(dir.resolve("empty-global.cnf"), "");
            AtomicBoolean stop = new AtomicBoolean();
            Manager manager = new Manager(new Manager.Options(sb.configFile(), global, false, true, 480, false, 0, 0, true,
                    FailoverOptions.DEFAULT, Duration.ofSeconds(120)), stop);
            Thread mt = Thread.ofPlatform().start(manager::run);
            StatusFile status = new StatusFile(sb.dir().resolve("manager"), "app1");
            waitUntil(() -> status.read().map(s -> s.status() == ManagerStatus.PING_OK).orElse(false), Duration.ofSeconds(30));
            LoadWriter writer = new LoadWriter("127.0.0.1", sb.node(1).port(), Sandbox.ADMIN_USER, sb.adminPassword(), clients);
            Thread.sleep(1000);
            long killed = System.nanoTime();
            sb.killNode(1);
            writer.awaitStopped(Duration.ofSeconds(30));
            AtomicLong writable = new AtomicLong();
            Thread probe = Thread.ofPlatform().start(() -> writable.set(firstWrite(sb, killed)));
            mt.join(Duration.ofMinutes(3));
            long failoverDone = System.nanoTime();
            probe.join(Duration.ofSeconds(60));
            writer.close();
            FailoverRunner.Result r = manager.lastFailover().orElseThrow(() -> new IllegalStateException("no failover happened"));
            SandboxNode nm = sb.nodes().stream().filter(x -> r.newMaster().map(c -> c.port() == x.port()).orElse(false)).findFirst().orElseThrow();
            int lost;
            try (Connection c = sb.connect(nm.index())) {
                lost = writer.missingOn(c).size();
            }
            return new Trial(manager.lastDetection().map(Duration::toMillis).orElse(-1L), r.phaseMillis(),
                    (failoverDone - killed) / 1_000_000, writable.get() == 0 ? -1 : (writable.get() - killed) / 1_000_000,
                    writer.acknowledged(), lost, nm.block());
        }
    }

    /** The first moment any node takes a write again: what a client that re-resolves the master sees. */
    private static long firstWrite(Sandbox sb, long since) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
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

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Check c, Duration timeout) throws Exception {
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

}
