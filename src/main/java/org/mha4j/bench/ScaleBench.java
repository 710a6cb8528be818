package org.mha4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mha4j.sandbox.Sandbox;

/**
 * {@code mha bench scale}: one mha serve (a separate process) watching more and more real clusters, added by SIGHUP;
 * at each step, once every application is watched, its resident memory, CPU and the master checks' latency while
 * idle. A linear fit of those against the number of servers gives the cost per server and the figure at 1000. Ends
 * with a kill -9 of one master among them all: how long until the new master is watched.
 */
public final class ScaleBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PING = Pattern.compile("^mha_master_ping_seconds\\{[^}]*} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    /**
     * @param clusters sandboxes of {@code perCluster} servers each, one application each
     * @param jvmOptions the serve process's JVM options (bin/mha's by default)
     */
    public record Options(int clusters, int perCluster, int steps, Duration idle, Path dir, List<String> jvmOptions, int stateInterval) {}

    /** One step: what the serve process used while idle with this many servers. */
    public record Point(int servers, int apps, long rssKb, double cpuPercent, double pingAvgMs, double pingMaxMs) {}

    private final Options o;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Sandbox> clusters = new ArrayList<>();
    private int port;

    public ScaleBench(Options o) {
        this.o = o;
    }

    public List<Point> run() throws Exception {
        Files.createDirectories(o.dir());
        Path confDir = Files.createDirectories(o.dir().resolve("conf"));
        Path global = Files.writeString(o.dir().resolve("global.cnf"), "");
        Process serve = null;
        List<Point> points = new ArrayList<>();
        try {
            startClusters();
            port = Sandbox.freePort();
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
            cmd.addAll(o.jvmOptions());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.mha4j.cli.Main", "serve", "--conf-dir=" + confDir,
                    "--global_conf=" + global, "--listen=127.0.0.1:" + port, "--state-interval=" + o.stateInterval()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(o.dir().resolve("serve.log").toFile());
            // as packaging/mha-serve.service runs it: glibc's per-thread malloc arenas cost a JVM tens of MB for nothing
            pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            serve = pb.start();
            int added = 0;
            for (int step = 1; step <= o.steps(); step++) {
                int upTo = Math.max(1, clusters.size() * step / o.steps());
                for (; added < upTo; added++) Files.copy(clusters.get(added).configFile(), confDir.resolve("app" + (added + 1) + ".cnf"));
                awaitWatched(serve, upTo);
                Point p = measure(serve.pid(), upTo);
                points.add(p);
                System.out.printf(Locale.ROOT, "%5d servers %4d apps: RSS %6.1f MB, CPU %5.1f %% of one core, master check %.2f ms avg, %.2f ms max%n",
                        p.servers(), p.apps(), p.rssKb() / 1024.0, p.cpuPercent(), p.pingAvgMs(), p.pingMaxMs());
            }
            failover(serve);
        } finally {
            if (serve != null) {
                serve.destroy();
                serve.waitFor();
            }
            downClusters();
        }
        return points;
    }

    /** Least squares: {@code [intercept, slope]} of y against x. */
    public static double[] fit(List<double[]> xy) {
        double n = xy.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] p : xy) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double d = n * sxx - sx * sx;
        if (n < 2 || d == 0) return new double[]{n == 0 ? 0 : sy / n, 0};
        double slope = (n * sxy - sx * sy) / d;
        return new double[]{(sy - slope * sx) / n, slope};
    }

    private void startClusters() throws Exception {
        long t0 = System.nanoTime();
        // four at a time (each start runs its servers' installs in parallel already), on ports chosen here: sandboxes
        // that pick free ports each for itself at the same moment can pick the same one
        int nextPort = 31000;
        Exception failed = null;
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Sandbox>> started = new ArrayList<>();
            for (int i = 1; i <= o.clusters(); i++) {
                Path d = o.dir().resolve("cluster" + i);
                int base = nextPort = freeRun(nextPort, o.perCluster());
                nextPort += o.perCluster();
                started.add(pool.submit(() -> Sandbox.create(d, o.perCluster(), base).up()));
            }
            for (Future<Sandbox> f : started) {
                try {
                    clusters.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failed == null) failed = e.getCause() instanceof Exception x ? x : e;
                }
            }
        }
        if (failed != null) {
            // the others are taken down by run()'s finally; a half-started one is taken down here
            for (int i = 1; i <= o.clusters(); i++) {
                Path d = o.dir().resolve("cluster" + i);
                if (clusters.stream().noneMatch(c -> c.dir().equals(d)) && Files.exists(d)) {
                    try {
                        Sandbox.open(d).down();
                    } catch (RuntimeException e) {
                        System.err.println("could not take down " + d + ": " + e.getMessage());
                    }
                }
            }
            throw failed;
        }
        System.out.printf(Locale.ROOT, "%d clusters of %d servers started in %.0f s%n", o.clusters(), o.perCluster(),
                (System.nanoTime() - t0) / 1e9);
    }

    private void downClusters() {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (Sandbox s : clusters) pool.submit(s::down);
        }
    }

    private void awaitWatched(Process serve, int apps) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60L + apps).toNanos();
        boolean reloaded = false;
        while (System.nanoTime() < deadline) {
            if (!serve.isAlive()) throw new IllegalStateException("mha serve exited: see " + o.dir().resolve("serve.log"));
            try {
                JsonNode body = get("/api/apps");
                if (body.path("apps").size() < apps && !reloaded) {
                    FailoverBench.signal("HUP", serve.pid());
                    reloaded = true;
                }
                long ok = 0;
                for (JsonNode a : body.path("apps")) if (a.path("status").asText().equals("PING_OK")) ok++;
                if (ok == apps) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not every application reached PING_OK: see " + o.dir().resolve("serve.log"));
    }

    private Point measure(long pid, int apps) throws Exception {
        Thread.sleep(10_000);  // the JIT and the first looks settle
        long ticks0 = ProcStats.cpuTicks(pid);
        long t0 = System.nanoTime();
        double sum = 0, max = 0;
        int n = 0;
        // scraped every 5 s (Prometheus' default is 15 s): a scrape costs the process some milliseconds of CPU
        while (System.nanoTime() - t0 < o.idle().toNanos()) {
            Thread.sleep(5000);
            Matcher m = PING.matcher(text("/metrics"));
            while (m.find()) {
                double ms = Double.parseDouble(m.group(1)) * 1000;
                sum += ms;
                max = Math.max(max, ms);
                n++;
            }
        }
        // the scrapes cost the process a little CPU too: counted, as Prometheus would
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (ProcStats.cpuTicks(pid) - ticks0) * 100.0 / ProcStats.TICKS_PER_SECOND / seconds;
        return new Point(apps * o.perCluster(), apps, ProcStats.statusKb(pid, "VmRSS:"), cpu, n == 0 ? 0 : sum / n, max);
    }

    private void failover(Process serve) throws Exception {
        Sandbox victim = clusters.getFirst();
        String old = "127.0.0.1:" + victim.node(1).port();
        long t0 = System.nanoTime();
        victim.killNode(1);
        long deadline = t0 + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode a = get("/api/apps/app1");
            String master = a.path("master").asText("");
            if (!master.isEmpty() && !master.equals(old) && a.path("status").asText().equals("PING_OK")) {
                JsonNode h = get("/api/apps/app1/history").path("history");
                String took = h.isEmpty() ? "?" : Duration.between(java.time.Instant.parse(h.get(0).path("started").asText()),
                        java.time.Instant.parse(h.get(0).path("ended").asText())).toMillis() + " ms";
                System.out.printf(Locale.ROOT, "kill -9 of app1's master among %d servers: new master %s watched %d ms after the kill"
                                + " (detection %s ms, failover %s, outcome %s)%n", clusters.size() * o.perCluster(), master,
                        (System.nanoTime() - t0) / 1_000_000, a.path("lastDetectionMillis").asText("?"), took,
                        h.isEmpty() ? "?" : h.get(0).path("outcome").asText());
                return;
            }
            Thread.sleep(50);
        }
        System.out.println("kill -9 of app1's master: no new master watched within 60 s (see " + o.dir().resolve("serve.log") + ")");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(text(path));
    }

    private String text(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The first port from {@code from} on where {@code n} ports in a row are free now. */
    private static int freeRun(int from, int n) {
        for (int base = from; base < 65000; base++) {
            boolean free = true;
            for (int p = base; p < base + n && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                    base = p;
                }
            }
            if (free) return base;
        }
        throw new IllegalStateException("no " + n + " free ports in a row above " + from);
    }
}
