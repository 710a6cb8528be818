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
    private final AtomicInteger next = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    public static void createTable(Connection c) throws SQLException {
        Db.execute(c, "CREATE DATABASE IF NOT EXISTS mha4j_ledger");
        Db.execute(c, "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, writer INT, at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6))");
    }

    public LoadWriter(String host, int port, String user, String password, int clients) {
        for (int w = 0; w < clients; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().name("ledger-writer-" + w).start(() -> {
                try (Connection c = Db.connect(host, port, user, password, Duration.ofSeconds(2), Duration.ofSeconds(30));
                     Statement st = c.createStatement()) {
                    while (running.get()) {
                        int id = next.incrementAndGet();
                        st.executeUpdate("INSERT INTO " + TABLE + " (id, writer) VALUES (" + id + ", " + writer + ")");
                        acked.add(id);
                    }
                } catch (SQLException e) {
                    // the master went away: everything acknowledged so far is in the ledger
                }
            }));
        }
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
