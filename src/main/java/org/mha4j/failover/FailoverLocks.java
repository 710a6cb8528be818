package org.mha4j.failover;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mha4j.node.RelayLogPurger;
import org.mha4j.promote.Refusal;
import org.mha4j.topology.Db;
import org.mha4j.topology.ServerSnapshot;

/**
 * MHA's advisory lock, held on every replica for as long as the failover runs: {@code purge_relay_logs} takes the same
 * lock, so it never deletes relay logs a failover is building differences from, and a second failover of the same
 * replicas cannot start.
 */
final class FailoverLocks implements AutoCloseable {
    private final List<Connection> held = new ArrayList<>();

    private FailoverLocks() {}

    /** @param wait how long a purge may still hold the lock (it holds it for seconds) */
    static FailoverLocks take(List<ServerSnapshot> replicas, Duration wait) throws Refusal {
        FailoverLocks locks = new FailoverLocks();
        try {
            for (ServerSnapshot r : replicas) {
                Optional<Connection> c = Db.namedLock(r.config(), RelayLogPurger.FAILOVER_LOCK, wait);
                c.ifPresent(locks.held::add);
                if (c.isEmpty()) {
                    throw new Refusal(Refusal.Code.LOCK_TAKEN, "the lock " + RelayLogPurger.FAILOVER_LOCK + " on " + r.label() + " stayed taken for "
                            + wait.toSeconds() + " s: another failover or purge_relay_logs is running there");
                }
            }
            return locks;
        } catch (SQLException e) {
            locks.close();
            throw new Refusal(Refusal.Code.SERVER_UNREACHABLE, "taking the failover lock failed: " + e.getMessage());
        } catch (Refusal e) {
            locks.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Connection c : held) {
            try {
                c.close();  // a session's named locks end with it
            } catch (SQLException ignored) {
                // the server frees the lock when it notices the connection is gone
            }
        }
        held.clear();
    }
}
