package org.mha4j.monitor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mha4j.config.Detection;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.Heartbeat;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code detection=fast} the manager keeps every replica's MASTER_HEARTBEAT_PERIOD at
 * {@link Detection#HEARTBEAT_SECONDS}. The
 * servers' default is half of slave_net_timeout (30 s of 60 s): a replica's IO thread then says "Yes" for up to a
 * minute after its master hung, and a quiet master cannot be told from a hung one. With a heartbeat every half second,
 * a replica that received nothing for a second or more is connected to a master that stopped sending.
 */
public final class HeartbeatPeriods {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private HeartbeatPeriods() {}

    /**
     * Sets the period on every running replica of {@code master} whose period is off (0) or longer, one replica at a time:
     * STOP SLAVE, CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD, START SLAVE (the servers allow the change only while
     * replication is stopped; without new coordinates it resumes where the SQL thread was, so nothing is skipped). A
     * replica whose threads are not both running is left as the operator has it. Failures are logged, never fatal.
     */
    public static void ensure(ServerConfig master, List<ServerConfig> replicas) {
        for (ServerConfig r : replicas) {
            String label = ServerLabels.label(r);
            try (Connection c = Db.connect(r, Duration.ofSeconds(2), Duration.ofSeconds(30))) {
                Dialect d = Dialect.of(c);
                Optional<ReplicaStatus> rs = d.replicaStatusOf(c);
                Optional<Heartbeat> hb = d.heartbeat(c);
                if (rs.isEmpty() || !rs.get().pointsAt(master) || hb.isEmpty() || !needsChange(hb.get())) continue;
                if (!rs.get().ioRunning() || !rs.get().sqlRunning()) {
                    log.warn("{}: heartbeat period {} s, but its replication is stopped: left as it is (a hung master is then told"
                            + " from a quiet one only after slave_net_timeout).", label, hb.get().periodSeconds());
                    continue;
                }
                log.info("{}: MASTER_HEARTBEAT_PERIOD {} s -> {} s, so that a hung master is told from a quiet one within seconds"
                        + " (detection=fast); replication restarts once.", label, hb.get().periodSeconds(), Detection.HEARTBEAT_SECONDS);
                Db.execute(c, d.stopReplica());
                try {
                    Db.execute(c, d.setHeartbeatPeriod(Detection.HEARTBEAT_SECONDS));
                } finally {
                    Db.execute(c, d.startReplica());
                }
            } catch (SQLException e) {
                log.warn("{}: could not set its heartbeat period ({}); a hung master is then told from a quiet one only after"
                        + " slave_net_timeout. Check that replication runs on it.", label, e.getMessage());
            }
        }
    }

    /** Off, or longer than the target (with room for the server's rounding). */
    static boolean needsChange(Heartbeat hb) {
        return hb.periodSeconds() <= 0 || hb.periodSeconds() > Detection.HEARTBEAT_SECONDS + 0.001;
    }
}
