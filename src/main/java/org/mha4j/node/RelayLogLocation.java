package org.mha4j.node;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;

/**
 * Where a replica's relay logs are, as the server says: the directory of {@code relay_log_index} (absolute, or
 * relative to the datadir) and the relay log its SQL thread reads ({@code Relay_Log_File}).
 */
public record RelayLogLocation(Path dir, String current) {

    public static RelayLogLocation of(Connection c, Dialect d) throws SQLException, NodeException {
        Map<String, String> v = Db.nameValue(c, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('relay_log_index', 'datadir')");
        List<Map<String, String>> status = Db.query(c, d.showReplicaStatus());
        if (status.isEmpty()) throw new NodeException("the server is not a replica: it has no relay logs");
        String current = status.getFirst().get("Relay_Log_File");
        if (current == null || current.isBlank()) throw new NodeException(d.showReplicaStatus() + " names no Relay_Log_File");
        Path index = Path.of(v.get("relay_log_index"));
        if (!index.isAbsolute()) index = Path.of(v.get("datadir")).resolve(index);
        return new RelayLogLocation(index.getParent(), current);
    }
}
