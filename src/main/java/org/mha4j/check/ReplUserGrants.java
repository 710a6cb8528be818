package org.mha4j.check;

import java.util.List;
import java.util.Optional;

/**
 * What one server's {@code mysql.user} says about the replication account. After a failover the other replicas
 * log in to the new master with it, so it must exist, with REPLICATION SLAVE, on every server that can be promoted.
 *
 * @param hosts the account's host patterns with their two privilege flags, e.g. "repl@'10.1.1.%' (SLAVE=Y, CLIENT=N)"
 * @param error set when the table could not be read (the monitoring user lacks SELECT on mysql.user)
 */
public record ReplUserGrants(String user, List<HostGrant> hosts, Optional<String> error) {

    public record HostGrant(String host, boolean replicationSlave, boolean replicationClient) {}

    public boolean exists() {
        return !hosts.isEmpty();
    }

    public boolean replicationSlave() {
        return hosts.stream().anyMatch(HostGrant::replicationSlave);
    }

    public boolean replicationClient() {
        return hosts.stream().anyMatch(HostGrant::replicationClient);
    }
}
