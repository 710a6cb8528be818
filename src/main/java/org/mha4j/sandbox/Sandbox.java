package org.mha4j.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.mha4j.topology.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB replication cluster on 127.0.0.1: N {@code mariadbd} with their own ports and datadirs, node 1 the
 * master, the others GTID replicas with semi-sync, plus a private sshd and an MHA-format config for it all.
 * It is the fixture of every integration test and of the demo.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

    public static final String ADMIN_USER = "mha";
    public static final String REPL_USER = "repl";
    public static final int SEMI_SYNC_TIMEOUT_MS = 5000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int size;
    private final int basePort;
    private final SandboxFlavor flavor;
    private SandboxState state;
    private Distribution dist;
    private boolean gtid = true;

    private Sandbox(Path dir, int size, int basePort, SandboxFlavor flavor, SandboxState state) {
        this.dir = dir.toAbsolutePath();
        this.size = size;
        this.basePort = basePort;
        this.flavor = flavor;
        this.state = state;
    }

    /** Describes a sandbox of Debian's MariaDB; nothing starts until {@link #up()}. {@code basePort} 0 picks free ports. */
    public static Sandbox create(Path dir, int nodes, int basePort) {
        return create(dir, nodes, basePort, SandboxFlavor.MARIADB);
    }

    public static Sandbox create(Path dir, int nodes, int basePort, SandboxFlavor flavor) {
        if (nodes < 1 || nodes > 32) throw new SandboxException("--nodes must be between 1 and 32, not " + nodes);
        return new Sandbox(dir, nodes, basePort, flavor, null);
    }

    /** Re-attaches to a sandbox made earlier, possibly by another process. */
    public static Sandbox open(Path dir) {
        SandboxState s = SandboxState.load(dir.toAbsolutePath());
        return new Sandbox(dir, s.ports().size(), s.ports().getFirst(), s.flavor(), s);
    }

    /**
     * Replicas by binlog file and position instead of GTID, keeping their relay logs (relay_log_purge=0) as MHA's
     * file/position failover needs. Call before {@link #up()}.
     */
    public Sandbox positionReplication() {
        gtid = false;
        return this;
    }

    public SandboxFlavor flavor() {
        return flavor;
    }

    private Distribution dist() {
        if (dist == null) dist = flavor.distribution();
        return dist;
    }

    public Path dir() {
        return dir;
    }

    /** A port nothing listens on now, on this host. */
    public static int freePort() {
        return NodeProcess.freePort();
    }

    /** {@code n} distinct ports nothing listens on now (chosen together: separate calls may return one port twice). */
    public static List<Integer> freePorts(int n) {
        return NodeProcess.freePorts(n);
    }

    public Sandbox up() {
        if (Files.exists(dir.resolve(SandboxState.FILE))) {
            throw new SandboxException("a sandbox already exists in " + dir + ": `mha sandbox status --dir " + dir
                    + "` shows it, `mha sandbox down --dir " + dir + "` removes it");
        }
        long t0 = System.nanoTime();
        Distribution d = dist();
        state = SandboxState.fresh(flavor, ports());
        NodeProcess.mkdirs(dir);
        state.save(dir);
        List<SandboxNode> nodes = nodes();
        parallel(nodes, n -> {
            NodeProcess.mkdirs(n.datadir(), n.binlogDir(), n.tmpdir());
            write(n.myCnf(), d.myCnf(n, n.index() == 1, SEMI_SYNC_TIMEOUT_MS) + (gtid ? "" : """
                    # replication by file and position: relay logs are kept for a failover's differences;
                    # purge_relay_logs (from cron) removes the executed ones
                    relay-log-purge=0
                    # and MySQL without GTID at all, as before 5.6 (MariaDB always writes its GTIDs; loose- for it)
                    loose-gtid-mode=OFF
                    loose-enforce-gtid-consistency=OFF
                    """));
            d.install(n);
            Optional<Path> init = d.usesInitFile() ? Optional.of(NodeFiles.initFile(n, d.bootstrapSql(state))) : Optional.empty();
            Process p = NodeProcess.start(d.startCommand(n, init), n);
            NodeProcess.awaitPort(n, p, START_TIMEOUT);
            if (init.isEmpty()) bootstrap(n, d.bootstrapSql(state));
            awaitLogin(n);
            init.ifPresent(Sandbox::delete);
            if (!d.semiSync(n.index() == 1).isEmpty()) exec(n.index(), d.semiSync(n.index() == 1).toArray(String[]::new));
            return null;
        });
        log.info("{} {} servers started in {} ms", size, flavor.id, (System.nanoTime() - t0) / 1_000_000);
        Optional<org.mha4j.topology.BinlogPosition> start = gtid ? Optional.empty() : Optional.of(masterPosition());
        for (SandboxNode r : nodes.subList(1, nodes.size())) {
            try (Connection c = connect(r.index())) {
                org.mha4j.topology.Dialect dialect = org.mha4j.topology.Dialect.of(c);
                Db.execute(c, start.isPresent()
                        ? dialect.changeMasterToPosition("127.0.0.1", master().port(), REPL_USER, state.replPassword(), start.get())
                        : dialect.changeMaster("127.0.0.1", master().port(), REPL_USER, state.replPassword()));
                Db.execute(c, dialect.startReplica());
            } catch (SQLException e) {
                throw new SandboxException("node " + r.index() + ": cannot start replication: " + e.getMessage(), e);
            }
        }
        for (SandboxNode r : nodes.subList(1, nodes.size())) awaitReplicating(r.index(), Duration.ofSeconds(30));
        awaitSemiSyncClients(size - 1, Duration.ofSeconds(15));
        Optional<LocalSshd> sshd = startSshd();
        NodeTools.write(nodeBindir());
        MhaConfigWriter.write(configFile(), this, sshd);
        log.info("sandbox up in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, configFile());
        return this;
    }

    /** Where the sandbox's wrappers of the node tools are: its nodes' "hosts" run them from there over SSH. */
    public Path nodeBindir() {
        return dir.resolve("bin");
    }

    private org.mha4j.topology.BinlogPosition masterPosition() {
        try (Connection c = connect(1)) {
            org.mha4j.topology.Dialect dialect = org.mha4j.topology.Dialect.of(c);
            Map<String, String> row = Db.query(c, dialect.showBinlogStatus()).getFirst();
            return new org.mha4j.topology.BinlogPosition(row.get("File"), Long.parseLong(row.get("Position")));
        } catch (SQLException e) {
            throw new SandboxException("node 1: cannot read its binlog position: " + e.getMessage(), e);
        }
    }

    private Optional<LocalSshd> startSshd() {
        try {
            return Optional.of(LocalSshd.start(dir.resolve("sshd"), 0));
        } catch (SandboxException e) {
            log.warn("no sshd for the sandbox, SSH checks will fail: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private List<Integer> ports() {
        if (basePort <= 0) return NodeProcess.freePorts(size);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int p = basePort + i;
            if (NodeProcess.portOpen(p)) {
                throw new SandboxException("port " + p + " is already in use on 127.0.0.1: choose another --base-port, or 0 for free ports");
            }
            out.add(p);
        }
        return out;
    }

    public List<SandboxNode> nodes() {
        requireState();
        List<SandboxNode> out = new ArrayList<>();
        for (int i = 1; i <= size; i++) out.add(new SandboxNode(i, state.ports().get(i - 1), 10 * i, dir.resolve("node" + i)));
        return out;
    }

    public SandboxNode node(int index) {
        if (index < 1 || index > size) throw new SandboxException("no node " + index + ": this sandbox has nodes 1 to " + size);
        return nodes().get(index - 1);
    }

    /** The node that was master when the sandbox was created. */
    public SandboxNode master() {
        return node(1);
    }

    public String adminPassword() {
        requireState();
        return state.adminPassword();
    }

    public String replPassword() {
        requireState();
        return state.replPassword();
    }

    public Path configFile() {
        return dir.resolve("app1.conf");
    }

    public Optional<LocalSshd> sshd() {
        return Files.exists(dir.resolve("sshd").resolve(LocalSshd.PORT_FILE)) ? Optional.of(LocalSshd.open(dir.resolve("sshd"))) : Optional.empty();
    }

    public void stopNode(int i) {
        NodeProcess.stop(node(i), Duration.ofSeconds(60));
    }

    public void startNode(int i) {
        SandboxNode n = node(i);
        if (NodeProcess.isRunning(n)) return;
        Process p = NodeProcess.start(dist().startCommand(n, Optional.empty()), n);
        NodeProcess.awaitPort(n, p, START_TIMEOUT);
        awaitLogin(n);
    }

    public void killNode(int i) {
        NodeProcess.kill(node(i));
    }

    public boolean isRunning(int i) {
        return NodeProcess.isRunning(node(i));
    }

    /** One line per node: index, port, pid, state, and its role as the node itself reports it. */
    public List<String> status() {
        List<String> out = new ArrayList<>();
        for (SandboxNode n : nodes()) {
            String pid = NodeProcess.pid(n).isPresent() ? Long.toString(NodeProcess.pid(n).getAsLong()) : "-";
            boolean running = NodeProcess.isRunning(n);
            out.add(String.format("node%d  127.0.0.1:%d  pid %-8s %-8s %s", n.index(), n.port(), running ? pid : "-",
                    running ? "running" : "stopped", running ? role(n) : ""));
        }
        return out;
    }

    private String role(SandboxNode n) {
        try (Connection c = connect(n.index())) {
            List<Map<String, String>> rows = Db.query(c, "SHOW SLAVE STATUS");
            String ro = Db.query(c, "SELECT @@read_only AS ro").getFirst().get("ro");
            if (rows.isEmpty()) return "master" + ("1".equals(ro) ? " (read_only)" : " (writable)");
            Map<String, String> r = rows.getFirst();
            return "replica of 127.0.0.1:" + r.get("Master_Port") + " (IO " + r.get("Slave_IO_Running") + ", SQL "
                    + r.get("Slave_SQL_Running") + ", lag " + r.get("Seconds_Behind_Master") + ")";
        } catch (SQLException e) {
            return "(unreachable: " + e.getMessage() + ")";
        }
    }

    /** A superuser connection (root over TCP with the sandbox's generated password), for tests that break things. */
    public Connection connect(int i) throws SQLException {
        return Db.connect("127.0.0.1", node(i).port(), "root", state.rootPassword(), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public void exec(int i, String... sql) {
        try (Connection c = connect(i)) {
            for (String s : sql) Db.execute(c, s);
        } catch (SQLException e) {
            throw new SandboxException("node " + i + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query on node {@code i}, or null when there is no row. */
    public String value(int i, String sql) {
        try (Connection c = connect(i); java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new SandboxException("node " + i + ": " + e.getMessage(), e);
        }
    }

    public void down() {
        if (state != null && Files.exists(dir.resolve(SandboxState.FILE))) {
            parallel(nodes(), n -> {
                NodeProcess.stop(n, Duration.ofSeconds(20));
                return null;
            });
            sshd().ifPresent(LocalSshd::stop);
        }
        deleteTree(dir);
    }

    @Override
    public void close() {
        down();
    }

    /** MySQL 5.6's install leaves root@127.0.0.1 without a password: the accounts are made through it, then it gets one. */
    private static void bootstrap(SandboxNode n, List<String> sql) {
        SQLException last = null;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = Db.connect("127.0.0.1", n.port(), "root", "", Duration.ofSeconds(5), Duration.ofSeconds(30))) {
                for (String s : sql) Db.execute(c, s);
                return;
            } catch (SQLException e) {
                last = e;
                NodeProcess.sleep(200);
            }
        }
        throw new SandboxException("node " + n.index() + ": cannot create the accounts: " + (last == null ? "" : last.getMessage()));
    }

    /** Extra lines of this sandbox's servers in the MHA config. */
    List<String> configLines() {
        return dist().configLines();
    }

    private void awaitLogin(SandboxNode n) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection c = connect(n.index())) {
                return;
            } catch (SQLException e) {
                last = e;
                NodeProcess.sleep(100);
            }
        }
        throw new SandboxException("node " + n.index() + " accepts connections but root cannot log in: "
                + (last == null ? "" : last.getMessage()) + "\n" + NodeProcess.tail(n.errorLog(), 20));
    }

    private void awaitReplicating(int i, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> r = Map.of();
        while (System.nanoTime() < deadline) {
            try (Connection c = connect(i)) {
                List<Map<String, String>> rows = Db.query(c, "SHOW SLAVE STATUS");
                r = rows.isEmpty() ? Map.of() : rows.getFirst();
                if ("Yes".equals(r.get("Slave_IO_Running")) && "Yes".equals(r.get("Slave_SQL_Running"))) return;
            } catch (SQLException e) {
                // retried until the deadline
            }
            NodeProcess.sleep(100);
        }
        throw new SandboxException("node " + i + " does not replicate: IO " + r.get("Slave_IO_Running") + " "
                + r.getOrDefault("Last_IO_Error", "") + ", SQL " + r.get("Slave_SQL_Running") + " " + r.getOrDefault("Last_SQL_Error", ""));
    }

    private void awaitSemiSyncClients(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String clients = "?";
        while (System.nanoTime() < deadline) {
            try (Connection c = connect(1)) {
                clients = Db.nameValue(c, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'").get("rpl_semi_sync_master_clients");
                if (Integer.toString(expected).equals(clients)) return;
            } catch (SQLException e) {
                // retried until the deadline
            }
            NodeProcess.sleep(100);
        }
        throw new SandboxException("semi-sync: the master has " + clients + " semi-sync replicas, expected " + expected);
    }

    private interface Task {
        Void run(SandboxNode n) throws Exception;
    }

    private static void parallel(List<SandboxNode> nodes, Task task) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> fs = nodes.stream().map(n -> pool.submit(() -> task.run(n))).toList();
            for (Future<Void> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new SandboxException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SandboxException("interrupted", e);
                }
            }
        }
    }

    private void requireState() {
        if (state == null) throw new SandboxException("the sandbox in " + dir + " is not up: call up() first");
    }

    private static void write(Path f, String text) {
        try {
            Files.writeString(f, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
