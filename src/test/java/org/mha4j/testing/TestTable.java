package org.mha4j.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.topology.Db;

/** The table {@code t.a} the failover tests write to, and what a server holds of it and of replication. */
public final class TestTable {
    private TestTable() {}

    public static void create(Sandbox sb, int node) {
        sb.exec(node, "CREATE DATABASE t", "CREATE TABLE t.a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB");
    }

    public static void insert(Sandbox sb, int node, String prefix, int rows) {
        String[] sql = new String[rows];
        for (int i = 0; i < rows; i++) sql[i] = "INSERT INTO t.a(v) VALUES ('" + prefix + i + "')";
        sb.exec(node, sql);
    }

    public static int rows(Sandbox sb, int node) {
        return Integer.parseInt(sb.value(node, "SELECT COUNT(*) FROM t.a"));
    }

    /** The rows a server holds, as one digest: two servers agree on every row, not just on a count. */
    public static String digest(Sandbox sb, int node) {
        return sb.value(node, "SELECT MD5(GROUP_CONCAT(id, v ORDER BY id)) FROM t.a");
    }

    /** Its SHOW SLAVE STATUS row, empty when it replicates from nothing. */
    public static Optional<Map<String, String>> replicaStatus(Sandbox sb, int node) throws SQLException {
        try (Connection c = sb.connect(node)) {
            return Db.query(c, "SHOW SLAVE STATUS").stream().findFirst();
        }
    }
}
