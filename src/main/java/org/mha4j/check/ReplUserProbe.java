package org.mha4j.check;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.topology.Db;
import org.mha4j.topology.ServerSnapshot;

/** Reads the replication account's privileges from each server's {@code mysql.user} (same columns on both flavours). */
public final class ReplUserProbe {
    private ReplUserProbe() {}

    public static Map<String, ReplUserGrants> probe(List<ServerSnapshot> servers, String replUser) {
        Map<String, ReplUserGrants> out = new LinkedHashMap<>();
        for (ServerSnapshot s : servers) out.put(s.config().block(), probe(s, replUser));
        return out;
    }

    static ReplUserGrants probe(ServerSnapshot s, String replUser) {
        try (Connection c = Db.connect(s.config(), Db.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(10))) {
            List<ReplUserGrants.HostGrant> hosts = Db.query(c,
                            "SELECT Host, Repl_slave_priv, Repl_client_priv FROM mysql.user WHERE User = ?", replUser).stream()
                    .map(r -> new ReplUserGrants.HostGrant(r.get("Host"), "Y".equals(r.get("Repl_slave_priv")),
                            "Y".equals(r.get("Repl_client_priv"))))
                    .toList();
            return new ReplUserGrants(replUser, hosts, Optional.empty());
        } catch (SQLException e) {
            return new ReplUserGrants(replUser, List.of(), Optional.of(e.getMessage()));
        }
    }
}
