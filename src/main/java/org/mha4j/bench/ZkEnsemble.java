package org.mha4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.mha4j.sandbox.Sandbox;

/**
 * A ZooKeeper ensemble of real server processes for tests and benchmarks: ZooKeeper's own {@code QuorumPeerMain}
 * (from the zookeeper jar the manager's client already needs), one JVM per server, ZooKeeper's default tickTime (2 s),
 * listening on every address (so a manager in a network namespace reaches it through the namespace's root address).
 * Servers can be killed (-9), stopped and started again.
 */
public final class ZkEnsemble implements AutoCloseable {
    private final Path dir;
    private final List<Integer> clientPorts;
    private final List<String> servers;
    private final Process[] processes;

    private ZkEnsemble(Path dir, List<Integer> clientPorts, List<String> servers) {
        this.dir = dir;
        this.clientPorts = clientPorts;
        this.servers = servers;
        this.processes = new Process[clientPorts.size()];
    }

    /** Starts {@code n} servers under {@code dir} and waits until they serve (a quorum formed). */
    public static ZkEnsemble start(Path dir, int n) throws IOException {
        List<Integer> ports = Sandbox.freePorts(3 * n);  // chosen together: distinct
        List<Integer> client = new ArrayList<>(ports.subList(0, n));
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            lines.add("server." + i + "=127.0.0.1:" + ports.get(n + 2 * (i - 1)) + ":" + ports.get(n + 2 * (i - 1) + 1));
        }
        ZkEnsemble z = new ZkEnsemble(dir, client, lines);
        try {
            for (int i = 1; i <= n; i++) z.startServer(i);
            z.awaitServing(Duration.ofSeconds(60));
            return z;
        } catch (IOException | RuntimeException e) {
            z.close();
            throw e;
        }
    }

    /** {@code host:port,...} for ZooKeeper clients, every server at {@code address}. */
    public String connectString(String address) {
        return clientPorts.stream().map(p -> address + ":" + p).collect(Collectors.joining(","));
    }

    /** {@code coordination=} for a manager that reaches the servers at {@code address}. */
    public String coordination(String address, String path) {
        return "zookeeper://" + connectString(address) + path;
    }

    public void startServer(int i) throws IOException {
        Path data = Files.createDirectories(dir.resolve("zk" + i));
        Files.writeString(data.resolve("myid"), Integer.toString(i));
        Path cfg = dir.resolve("zk" + i + ".cfg");
        Files.writeString(cfg, String.join("\n", List.of("tickTime=2000", "initLimit=10", "syncLimit=5", "dataDir=" + data,
                "clientPort=" + clientPorts.get(i - 1), "admin.enableServer=false", "4lw.commands.whitelist=srvr,ruok",
                "standaloneEnabled=false")) + "\n" + String.join("\n", servers) + "\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        processes[i - 1] = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "-Dzookeeper.jmx.log4j.disable=true", "org.apache.zookeeper.server.quorum.QuorumPeerMain", cfg.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("zk" + i + ".log").toFile())).start();
    }

    /** kill -9 of server {@code i} (1-based). */
    public void kill(int i) {
        Process p = processes[i - 1];
        if (p == null) return;
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processes[i - 1] = null;
    }

    /** Whether server {@code i} answers as part of a quorum (ZooKeeper's {@code srvr} command names its mode). */
    public boolean serving(int i) {
        String r = fourLetters(clientPorts.get(i - 1), "srvr");
        return r.contains("Mode: leader") || r.contains("Mode: follower");
    }

    public void awaitServing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 1; i <= processes.length; i++) all &= processes[i - 1] == null || serving(i);
            if (all) return;
            sleep(200);
        }
        throw new IllegalStateException("the ZooKeeper ensemble in " + dir + " did not form a quorum within " + timeout.toSeconds()
                + " s; see " + dir + "/zk*.log");
    }

    private static String fourLetters(int port, String cmd) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(cmd.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (int i = 1; i <= processes.length; i++) kill(i);
    }

    /** The servers' data and logs (zk1.log, ...): left after close, for a failed test to show. */
    public Path dir() {
        return dir;
    }
}
