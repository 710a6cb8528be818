package org.mha4j.testing;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.mha4j.bench.LoadWriter;
import org.mha4j.sandbox.Sandbox;

/** The acknowledgement ledger's table, created on the master and present on every replica before a test goes on. */
public final class Ledger {
    private Ledger() {}

    public static void createReplicated(Sandbox sb) throws SQLException {
        try (Connection c = sb.connect(1)) {
            LoadWriter.createTable(c);
        }
        int last = sb.nodes().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> "0".equals(sb.value(last, "SELECT COUNT(*) FROM " + LoadWriter.TABLE)));
    }
}
