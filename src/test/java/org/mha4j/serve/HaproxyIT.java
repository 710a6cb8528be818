package org.mha4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.SandboxTest;

/**
 * A real HAProxy (Debian's) in front of a real cluster, routing a client's writes by mha serve's health checks
 * ({@code /health/app1/master/%[srv_name]}): after a kill -9 of the master the client's new connections reach the new
 * master through the same address, with no manual step, and every write it saw committed is there.
 */
class HaproxyIT extends SandboxTest {
    private static final String HAPROXY = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";

    Serve serve;
    Process haproxy;

    @AfterEach
    void stop() {
        if (haproxy != null) haproxy.destroyForcibly();
        if (serve != null) serve.close();
    }

    @Test
    void writesFollowTheMasterThroughHaproxyAfterAKill() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        Path dir = Files.createDirectories(tmp.resolve("mha"));
        Files.copy(sb.configFile(), dir.resolve("app1.cnf"));
        serve = Serve.start(new ServeOptions(Optional.of(dir), List.of(), Files.writeString(tmp.resolve("g.cnf"), ""), "127.0.0.1", 0,
                Optional.empty(), 30, Duration.ofSeconds(1), Duration.ofSeconds(5)));
        try (Connection c = sb.connect(1); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS ha");
            st.execute("CREATE TABLE IF NOT EXISTS ha.acked (id INT PRIMARY KEY)");
            // an application's account, without SUPER: read_only keeps it off the replicas whatever HAProxy does
            st.execute("CREATE USER app@'127.0.0.1' IDENTIFIED BY 'app-password'");
            st.execute("GRANT SELECT, INSERT ON ha.* TO app@'127.0.0.1'");
        }
        int front = Sandbox.freePort();
        StringBuilder cfg = new StringBuilder("""
                global
                  maxconn 200
                defaults
                  mode tcp
                  timeout connect 1s
                  timeout client 30s
                  timeout server 30s
                frontend writes
                  bind 127.0.0.1:%d
                  default_backend master
                backend master
                  option httpchk
                  http-check send meth GET uri-lf /health/app1/master/%%[srv_name]
                  http-check expect status 200
                  default-server inter 500 fall 1 rise 1 on-marked-down shutdown-sessions
                """.formatted(front));
        for (int i = 1; i <= 3; i++) {
            cfg.append("  server server").append(i).append(" 127.0.0.1:").append(sb.node(i).port())
                    .append(" check addr 127.0.0.1 port ").append(serve.port()).append('\n');
        }
        Path cfgFile = Files.writeString(tmp.resolve("haproxy.cfg"), cfg);
        Process check = new ProcessBuilder(HAPROXY, "-c", "-f", cfgFile.toString()).redirectErrorStream(true).start();
        assertThat(check.waitFor()).as(new String(check.getInputStream().readAllBytes())).isZero();
        haproxy = new ProcessBuilder(HAPROXY, "-db", "-f", cfgFile.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("haproxy.log").toFile()).start();

        String url = "jdbc:mariadb://127.0.0.1:" + front + "/ha?connectTimeout=1000&socketTimeout=3000";
        // HAProxy 2.6 takes a server for up until its first check says otherwise: wait until the replicas are marked down
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String log = Files.readString(tmp.resolve("haproxy.log"));
            return log.contains("server2 is DOWN") && log.contains("server3 is DOWN");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> portThrough(url) == sb.node(1).port());

        // a client that writes through HAProxy, one new connection per write, as an application pool would after errors
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Integer> lastPort = new AtomicReference<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread client = Thread.ofVirtual().start(() -> {
            while (writing.get()) {
                int id = next.incrementAndGet();
                try (Connection c = DriverManager.getConnection(url, "app", "app-password"); Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO ha.acked VALUES (" + id + ")");
                    acked.add(id);
                    try (ResultSet rs = st.executeQuery("SELECT @@port")) {
                        rs.next();
                        lastPort.set(rs.getInt(1));
                    }
                } catch (SQLException e) {
                    // the master is gone or not yet known: the client retries, as applications do
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.size() >= 5);
        long killed = System.nanoTime();
        sb.killNode(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> lastPort.get() != null && lastPort.get() != sb.node(1).port());
        long reachedMs = (System.nanoTime() - killed) / 1_000_000;
        int newMasterPort = lastPort.get();
        int before = acked.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.size() >= before + 5);
        writing.set(false);
        client.join();

        int newNode = newMasterPort == sb.node(2).port() ? 2 : 3;
        assertThat(newMasterPort).isIn(sb.node(2).port(), sb.node(3).port());
        assertThat(sb.value(newNode, "SELECT @@read_only")).isEqualTo("0");
        // every write the client saw committed is on the new master
        try (Connection c = sb.connect(newNode); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM ha.acked")) {
            Set<Integer> there = new java.util.HashSet<>();
            while (rs.next()) there.add(rs.getInt(1));
            assertThat(there).containsAll(acked);
        }
        System.out.printf("HaproxyIT: client writes reached the new master through HAProxy %d ms after the kill (%d writes acknowledged)%n",
                reachedMs, acked.size());
        assertThat(Files.readString(tmp.resolve("haproxy.log"))).contains("server1 is DOWN").contains(newMasterBlock(newNode) + " is UP");
    }

    private static String newMasterBlock(int node) {
        return "server" + node;
    }

    private int portThrough(String url) {
        try (Connection c = DriverManager.getConnection(url, "app", "app-password"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@port")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}
