package org.mha4j.topology;

import java.util.Optional;
import org.mha4j.config.ServerConfig;
import java.util.OptionalLong;

/**
 * One server's replication state, in flavour-neutral names. {@link Dialect} builds it from
 * {@code SHOW SLAVE STATUS} (MariaDB, MySQL before 8.0.22) or {@code SHOW REPLICA STATUS} (MySQL 8.0.22+).
 *
 * @param ioThread          the receiver ("IO") thread: Yes, No, or Connecting
 * @param secondsBehind     empty when the server cannot tell (SQL or IO thread stopped, master gone)
 * @param gtidMode          MariaDB {@code Using_Gtid} (No, Slave_Pos, Current_Pos); MySQL "AUTO_POSITION" or "No"
 * @param receivedGtids     what the IO thread has received: MariaDB {@code Gtid_IO_Pos}, MySQL {@code Retrieved_Gtid_Set}
 */
public record ReplicaStatus(
        String masterHost,
        int masterPort,
        String masterUser,
        ThreadState ioThread,
        boolean sqlRunning,
        OptionalLong secondsBehind,
        int lastIoErrno,
        String lastIoError,
        int lastSqlErrno,
        String lastSqlError,
        String masterLogFile,
        long readMasterLogPos,
        String relayMasterLogFile,
        long execMasterLogPos,
        String gtidMode,
        String receivedGtids,
        Optional<String> executedGtids,
        ReplicationFilters filters) {

    public enum ThreadState {
        YES, NO, CONNECTING;

        public static ThreadState parse(String s) {
            if (s == null) return NO;
            return switch (s.trim().toLowerCase()) {
                case "yes" -> YES;
                case "connecting", "preparing" -> CONNECTING;
                default -> NO;
            };
        }

        @Override
        public String toString() {
            return switch (this) {
                case YES -> "Yes";
                case NO -> "No";
                case CONNECTING -> "Connecting";
            };
        }
    }

    public boolean ioRunning() {
        return ioThread == ThreadState.YES;
    }

    /** The SQL thread stopped on an error (a conflicting row, a missing table), not by an operator's STOP SLAVE. */
    public boolean sqlThreadFailed() {
        return !sqlRunning && lastSqlErrno != 0;
    }

    /** "1062: Duplicate entry ..." */
    public String sqlError() {
        return lastSqlErrno + ": " + lastSqlError;
    }

    public boolean usesGtid() {
        return !"No".equalsIgnoreCase(gtidMode) && !gtidMode.isBlank();
    }

    public String masterId() {
        return masterHost + ":" + masterPort;
    }

    /** This replica's master is {@code server} (by its hostname or its ip, and its port). */
    public boolean pointsAt(ServerConfig server) {
        // host names are case-insensitive, as Topology.serverAt takes them
        return masterPort == server.port() && (masterHost.equalsIgnoreCase(server.hostname()) || masterHost.equalsIgnoreCase(server.ip()));
    }
}
