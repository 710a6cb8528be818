package org.mha4j.semisync;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.SemiSyncNames;
import org.mha4j.topology.ServerSnapshot;

/**
 * The semi-sync statements a failover, a switch and the tools run outside a planned {@code mha semisync} change: the
 * master role taken or given up at a promotion, under the names the server's plugins use, persisted where the server
 * can (MySQL 8.0 SET PERSIST).
 */
public final class SemiSyncSql {
    /** The master side's status, under either plugin's name: one of the two rows is there when semi-sync is loaded. */
    public static final String MASTER_STATUS_QUERY =
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Rpl_semi_sync_master_status', 'Rpl_semi_sync_source_status')";

    private SemiSyncSql() {}

    /** A new master waits for a replica's ACK again, with {@code timeoutMs} before falling back to async. */
    public static List<String> takeMasterRole(ServerSnapshot s, long timeoutMs) {
        SemiSyncNames n = s.semiSync().names();
        String set = set(s);
        return List.of(set + n.masterVar("timeout") + "=" + timeoutMs, set + n.masterVar("enabled") + "=ON");
    }

    /** The master side off, under the server's names (a replica with it on waits out the timeout on every transaction). */
    public static String masterSideOff(ServerSnapshot s) {
        return "SET GLOBAL " + s.semiSync().names().masterVar("enabled") + "=OFF";
    }

    /** A master that becomes a replica stops waiting for ACKs and, where its replica side is loaded, sends them. */
    public static List<String> giveUpMasterRole(ServerSnapshot s) {
        SemiSyncNames n = s.semiSync().names();
        List<String> out = new ArrayList<>();
        out.add(set(s) + n.masterVar("enabled") + "=OFF");
        if (s.variables().containsKey(n.replicaVar("enabled"))) out.add(set(s) + n.replicaVar("enabled") + "=ON");
        return out;
    }

    /**
     * For a server known only by its connection (the bench's master): the classic names, which MariaDB and MySQL up
     * to 8.0.25 use; {@code enabled} empty leaves the master side as it is.
     */
    public static List<String> classicMaster(Optional<Boolean> enabled, long timeoutMs) {
        List<String> out = new ArrayList<>();
        enabled.ifPresent(on -> out.add("SET GLOBAL " + SemiSyncNames.CLASSIC.masterVar("enabled") + "=" + (on ? "ON" : "OFF")));
        out.add("SET GLOBAL " + SemiSyncNames.CLASSIC.masterVar("timeout") + "=" + timeoutMs);
        return out;
    }

    /**
     * The seed's set-up of a MySQL 5.6 / 5.7 server (the sandbox's): both plugins loaded, so that any server can be
     * promoted, the replica side on, the master side on only on the master.
     */
    public static List<String> classicBothSides(boolean master, long timeoutMs) {
        SemiSyncNames n = SemiSyncNames.CLASSIC;
        List<String> out = new ArrayList<>();
        out.add("INSTALL PLUGIN " + n.masterPlugin() + " SONAME '" + n.masterLibrary() + "'");
        out.add("INSTALL PLUGIN " + n.replicaPlugin() + " SONAME '" + n.replicaLibrary() + "'");
        out.add("SET GLOBAL " + n.masterVar("timeout") + "=" + timeoutMs);
        out.add("SET GLOBAL " + n.masterVar("enabled") + "=" + (master ? "ON" : "OFF"));
        out.add("SET GLOBAL " + n.replicaVar("enabled") + "=ON");
        return out;
    }

    private static String set(ServerSnapshot s) {
        return Dialect.of(s.version()).setPersist() ? "SET PERSIST " : "SET GLOBAL ";
    }
}
