package org.mha4j.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mha4j.topology.Db;

/**
 * Client threads that commit small transactions on one server and record an id only after COMMIT returned: the
 * acknowledgement ledger a failover is judged by. A thread stops at its first error (the master died under it).
 */
public final class LoadWriter implements AutoCloseable {
    public static final String TABLE = "mha4j_ledger.t";

    private final Set<Integer> acked = new ConcurrentSkipListSet<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Shared by every writer in this process, so two writers on one table never collide. */
    private static final AtomicInteger NEXT = new AtomicInteger();
    private final AtomicInteger next = NEXT;
    private final List<Thread> threads = new ArrayList<>();

    public static void createTable(Connection c) throws SQLException {
        Db.execute(c, "CREATE DATABASE IF NOT EXISTS mha4j_ledger");
        Db.execute(c, "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, writer INT, at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))");
    }

    /** Writers on one server; each stops at its first error (the master died under it). */
    public LoadWriter(String host, int port, String user, String password, int clients) {
        this(host, List.of(port), user, password, clients, false);
    }

    /**
     * Writers that follow the master: on an error they look for the server with read_only=OFF among {@code ports}
     * and go on there, as an application behind a VIP or a proxy would.
     */
    public static LoadWriter following(String host, List<Integer> ports, String user, String password, int clients) {
        return new LoadWriter(host, ports, user, password, clients, true);
    }

    private LoadWriter(String host, List<Integer> ports, String user, String password, int clients, boolean follow) {
        for (int w = 0; w < clients; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().name("ledger-writer-" + w).start(() -> {
                do {
                    Integer port = follow ? writable(host, ports, user, password) : ports.getFirst();
                    if (port == null) {
                        pause();
                        continue;
                    }
                    try (Connection c = Db.connect(host, port, user, password, Duration.ofSeconds(2), Duration.ofSeconds(30));
                         Statement st = c.createStatement()) {
                        while (running.get()) {
                            if (follow && !"0".equals(Db.query(c, "SELECT @@read_only AS ro").getFirst().get("ro"))) break;
                            int id = next.incrementAndGet();
                            st.executeUpdate("INSERT INTO " + TABLE + " (id, writer) VALUES (" + id + ", " + writer + ")");
                            acked.add(id);
                        }
                    } catch (SQLException e) {
                        // the master went away or ended this session: what was acknowledged is in the ledger
                    }
                } while (follow && running.get());
            }));
        }
    }

    private static Integer writable(String host, List<Integer> ports, String user, String password) {
        for (int p : ports) {
            try (Connection c = Db.connect(host, p, user, password, Duration.ofMillis(500), Duration.ofSeconds(2))) {
                if ("0".equals(Db.query(c, "SELECT @@read_only AS ro").getFirst().get("ro"))) return p;
            } catch (SQLException e) {
                // not this one
            }
        }
        return null;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean wasAcknowledged(int id) {
        return acked.contains(id);
    }

    public int acknowledged() {
        return acked.size();
    }

    /** Acknowledged ids the server does not have: must be empty after a lossless failover. */
    public Set<Integer> missingOn(Connection c) throws SQLException {
        Set<Integer> present = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + TABLE)) {
            while (rs.next()) present.add(rs.getInt(1));
        }
        Set<Integer> missing = new TreeSet<>(acked);
        missing.removeAll(present);
        return missing;
    }

    /** Waits for the threads to stop (they stop by themselves when their server dies). */
    public void awaitStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        awaitStopped(Duration.ofSeconds(30));
    }
}
