package org.mha4j.semisync;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a semi-sync plan over JDBC, master first, and checks that every replica registered as a semi-sync client. */
public final class SemiSyncApplier {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

    private SemiSyncApplier() {}

    public static void apply(List<ServerAction> plan) throws SemiSyncException {
        for (ServerAction a : plan) {
            if (a.sql().isEmpty()) continue;
            run(a.server(), a.sql());
        }
        // IO threads restart only once the master side is on, or they would register as plain asynchronous clients.
        for (ServerAction a : plan) {
            if (a.restartIo()) run(a.server(), Dialect.of(a.server().version()).restartIoThread());
        }
    }

    private static void run(ServerSnapshot s, List<String> statements) throws SemiSyncException {
        try (Connection c = Db.connect(s.config(), Db.DEFAULT_CONNECT_TIMEOUT, QUERY_TIMEOUT)) {
            for (String sql : statements) {
                log.info("{}: {}", s.label(), sql);
                try {
                    Db.execute(c, sql);
                } catch (SQLException e) {
                    throw new SemiSyncException(s.label() + ": `" + sql + "` failed: " + e.getMessage() + hint(e, s), e);
                }
            }
        } catch (SQLException e) {
            throw new SemiSyncException(s.label() + ": cannot connect: " + e.getMessage(), e);
        }
    }

    private static String hint(SQLException e, ServerSnapshot s) {
        return switch (e.getErrorCode()) {
            case 1227, 1044, 1045 -> " — the user in `user=` needs SUPER (MySQL; or SYSTEM_VARIABLES_ADMIN on 8.0)"
                    + " or REPLICATION MASTER ADMIN / REPLICATION SLAVE ADMIN (MariaDB 10.5+)";
            case 1126 -> " — the plugin library is not in " + s.variables().getOrDefault("plugin_dir", "the server's plugin_dir");
            default -> "";
        };
    }

    /**
     * Waits until the master counts every replica as a semi-sync client, and each replica's IO thread runs with its
     * semi-sync side on. A replica's own status turns ON as soon as its IO thread starts, even one that cannot log in,
     * so the master's count is the proof and the replicas' IO threads say which one is missing.
     *
     * @return one line per replica that did not register, with its IO thread's state and last error; empty when all did
     */
    public static List<String> awaitRegistration(MasterResolution.Resolved r, Duration timeout) {
        ServerSnapshot m = r.masterSnapshot().orElseThrow();
        String clientsVar = m.semiSync().names().masterVar("clients");
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> missing;
        do {
            missing = new ArrayList<>();
            for (ServerSnapshot s : r.replicas()) {
                Optional<ReplicaStatus> io = replicaStatus(s);
                boolean running = io.map(ReplicaStatus::ioRunning).orElse(false);
                if (!running || !registered(s)) {
                    missing.add(s.label() + ": not registered as a semi-sync replica" + ioState(io));
                }
            }
            long clients = number(m, clientsVar);
            if (missing.isEmpty() && clients >= r.replicas().size()) return missing;
            if (missing.isEmpty()) {
                missing.add(m.label() + ": counts " + clients + " semi-sync client(s), expected " + r.replicas().size());
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        return missing;
    }

    private static boolean registered(ServerSnapshot s) {
        String var = s.semiSync().names().replicaVar("status");
        try (Connection c = Db.connect(s.config(), Db.DEFAULT_CONNECT_TIMEOUT, QUERY_TIMEOUT)) {
            return "ON".equalsIgnoreCase(Db.nameValue(c, "SHOW GLOBAL STATUS LIKE '" + var + "'").get(var));
        } catch (SQLException e) {
            return false;
        }
    }

    private static long number(ServerSnapshot s, String statusVar) {
        try (Connection c = Db.connect(s.config(), Db.DEFAULT_CONNECT_TIMEOUT, QUERY_TIMEOUT)) {
            String v = Db.nameValue(c, "SHOW GLOBAL STATUS LIKE '" + statusVar + "'").get(statusVar);
            return v == null ? 0 : Long.parseLong(v);
        } catch (SQLException | NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<ReplicaStatus> replicaStatus(ServerSnapshot s) {
        Dialect d = Dialect.of(s.version());
        try (Connection c = Db.connect(s.config(), Db.DEFAULT_CONNECT_TIMEOUT, QUERY_TIMEOUT)) {
            List<Map<String, String>> rows = Db.query(c, d.showReplicaStatus());
            return rows.isEmpty() ? Optional.empty() : d.replicaStatus(rows.getFirst());
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private static String ioState(Optional<ReplicaStatus> io) {
        return io.map(rs -> " (IO thread " + rs.ioThread() + (rs.lastIoErrno() != 0 ? ", Last_IO_Errno=" + rs.lastIoErrno()
                + ", Last_IO_Error: " + rs.lastIoError() : "") + ")").orElse(" (its replica status cannot be read)");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
