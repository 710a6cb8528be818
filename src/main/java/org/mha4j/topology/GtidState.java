package org.mha4j.topology;

/**
 * A server's GTID configuration and history.
 *
 * @param enabled  MySQL: {@code gtid_mode=ON}. MariaDB: always true (every MariaDB 10+ event carries a GTID);
 *                 whether a replica <em>uses</em> it is {@link ReplicaStatus#usesGtid()}.
 * @param mode     the raw mode for messages: MySQL {@code gtid_mode}, MariaDB "strict" or "non-strict"
 * @param executed what the server holds in its binary log: MySQL {@code gtid_executed}, MariaDB {@code gtid_binlog_state}
 */
public record GtidState(boolean enabled, String mode, GtidSet executed) {
}
