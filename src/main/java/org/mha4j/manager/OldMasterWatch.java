package org.mha4j.manager;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.config.Fence;
import org.mha4j.config.ServerConfig;
import org.mha4j.fence.OldMasterFence;
import org.mha4j.monitor.NeedsRejoin;
import org.mha4j.monitor.Pause;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerLabels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a failover, the old master is watched every ping_interval until it replicates from the new master. The moment
 * it answers it is made read-only (unless fence=none) and reported as needing rejoin: a master that was alive behind a
 * partition, or that is restarted with read_only=0 in its my.cnf, would otherwise take writes next to the new master.
 */
final class OldMasterWatch implements Runnable {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private final ServerConfig old;
    private final ServerConfig newMaster;
    private final NeedsRejoin rejoin;
    private final AtomicBoolean stop;

    OldMasterWatch(ServerConfig old, ServerConfig newMaster, NeedsRejoin rejoin, AtomicBoolean stop) {
        this.old = old;
        this.newMaster = newMaster;
        this.rejoin = rejoin;
        this.stop = stop;
    }

    @Override
    public void run() {
        log.info("Watching the old master {} every {} s: it is made read-only the moment it answers.", label(), old.pingInterval());
        Duration interval = Duration.ofSeconds(old.pingInterval());
        while (!stop.get()) {
            try {
                if (check()) return;
            } catch (RuntimeException e) {
                log.warn("Checking the old master {} failed: {}", label(), e.getMessage());
            }
            Pause.sleep(stop, interval.toMillis());
        }
    }

    /** @return true once the old master replicates from the new master: nothing left to watch */
    boolean check() {
        try (Connection c = Db.connect(old, Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            Dialect d = Dialect.of(c);
            if (d.replicaStatusOf(c).filter(ReplicaStatus::ioRunning).filter(r -> r.pointsAt(newMaster)).isPresent()) {
                log.info("The old master {} replicates from the new master {} again: rejoined.", label(), ServerLabels.label(newMaster));
                rejoin.clear(old.id());
                return true;
            }
            boolean writable = "0".equals(Db.query(c, "SELECT @@global.read_only AS ro").getFirst().get("ro"));
            if (!writable) {
                rejoin.mark(old.id(), "read-only, not replicating from the new master " + newMaster.id() + ": needs rejoin (" + rejoinCommand() + ")");
                return false;
            }
            if (old.fence() == Fence.NONE) {
                log.error("The old master {} answers and is WRITABLE next to the new master {}: two masters! fence=none, so it is left"
                        + " as it is. Make it read-only (SET GLOBAL read_only=1) and rejoin it.", label(), ServerLabels.label(newMaster));
                rejoin.mark(old.id(), "WRITABLE next to the new master " + newMaster.id() + " (fence=none): make it read-only and rejoin it");
                return false;
            }
            String done = OldMasterFence.stopWrites(old, c);
            String extra = onlyOnOldMaster(c, d);
            log.error("The old master {} answered again and was WRITABLE next to the new master {}: {}. It needs rejoin ({}). {}",
                    label(), ServerLabels.label(newMaster), done, rejoinCommand(), extra);
            rejoin.mark(old.id(), "answered again writable after the failover, " + done + "; " + extra + "; needs rejoin");
        } catch (SQLException e) {
            log.debug("old master {} does not answer: {}", label(), e.getMessage());
        }
        return false;
    }

    /** What the old master holds that the new master lacks: commits it acknowledged alone, to reconcile before a rejoin. */
    private String onlyOnOldMaster(Connection c, Dialect d) {
        try (Connection n = Db.connect(newMaster, Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            GtidSet newHas = d.heldGtids(n);
            GtidSet extra = d.heldGtids(c).subtract(newHas);
            return extra.isEmpty() ? "No transaction exists only on the old master"
                    : "Transactions that exist only on the old master (" + d.heldGtidsVariable() + "): " + extra + "; the new master has " + newHas;
        } catch (SQLException | RuntimeException e) {
            return "What exists only on the old master could not be compared: " + e.getMessage();
        }
    }

    /** The command that rejoins it, or says why it cannot. */
    private String rejoinCommand() {
        return "mha rejoin --conf=<this config> --host=" + old.hostname() + " --port=" + old.port();
    }

    private String label() {
        return ServerLabels.label(old);
    }

}
