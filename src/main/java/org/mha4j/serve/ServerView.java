package org.mha4j.serve;

/**
 * One server as mha serve last saw it: what the API lists, the dashboard draws and the health checks answer from.
 * Fields that were not read (a server down, a value the server does not have) are null.
 *
 * @param name            the config block ({@code server1})
 * @param role            {@code master}, {@code replica} or {@code unknown} (down, or neither)
 * @param state           {@code up}, {@code down} (not reachable) or {@code unreadable} (reached, could not be read)
 * @param replicatingFrom the master a replica's IO thread points at, {@code host:port}
 * @param ioThread        {@code Yes}, {@code No} or {@code Connecting}
 * @param lagSeconds      Seconds_Behind_Master; null when the SQL thread does not run
 * @param gtidExecuted    gtid_executed (MySQL) or gtid_current_pos (MariaDB)
 * @param semiSync        {@code on}, {@code off} (enabled, fallen back to async), {@code disabled} or {@code unavailable}
 * @param semiSyncNoTx    Rpl_semi_sync_master_no_tx: commits not acknowledged by any replica
 * @param error           why it is down or unreadable, or the replication error
 * @param polledAt        ISO-8601 time of the look
 */
public record ServerView(String name, String host, int port, String role, String state, Boolean readOnly, String replicatingFrom,
                         String ioThread, Boolean sqlThread, Long lagSeconds, String gtidExecuted, String semiSync,
                         Long semiSyncNoTx, String version, String error, String polledAt) {

    public String hostPort() {
        return host + ":" + port;
    }

    /** This server is meant by {@code id}: its block name, {@code host:port}, {@code host_port} (HAProxy server names) or host. */
    boolean isNamed(String id) {
        return id.equals(name) || id.equals(hostPort()) || id.equals(host + "_" + port) || id.equals(host);
    }

    public boolean up() {
        return "up".equals(state);
    }
}
