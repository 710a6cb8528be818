package org.mha4j.config;

/**
 * What a failover does to the old master wherever it can still be reached (SQL from the manager, or the client
 * tools over SSH on its host), so that it stops taking writes that no replica will ever see.
 */
public enum Fence {
    /** {@code read_only=1} (and {@code super_read_only} where the server has it), client sessions ended. */
    READ_ONLY,
    /** mysqld killed on its host over SSH (the pid from master_pid_file, else the process listening on its port). */
    SHUTDOWN,
    /** Nothing: the operator's shutdown_script or master_ip_failover_script takes care of it. */
    NONE;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
