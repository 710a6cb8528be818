package org.mha4j.failover;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.ServerSnapshot;

/**
 * What a failover that stopped after its first change leaves for the operator, server by server, as statements to run.
 * MHA stops with "manual recovery is needed"; this says which recovery. Passwords are written as {@code ******}.
 */
final class LeftToDo {
    private LeftToDo() {}

    /**
     * @param replicas  the replicas of the dead master as Phase 1 found them (their IO threads were stopped in Phase 2)
     * @param newMaster the replica chosen in Phase 3, if it came that far
     * @param activated the new master already takes writes (read_only=0): only the cleanup was left
     * @param byPosition without GTID: where the others continue on the new master, once known
     */
    static List<String> lines(Path conf, ServerConfig dead, List<ServerSnapshot> replicas, Optional<ServerSnapshot> newMaster,
                              boolean activated, String replUser, boolean gtid, Optional<BinlogPosition> byPosition) {
        List<String> out = new ArrayList<>();
        out.add("----- What is left to do by hand -----");
        if (newMaster.isEmpty()) {
            out.add("No replica was promoted and nothing was written; the replicas stopped receiving from " + dead.hostname() + ":"
                    + dead.port() + ". Either, once the cause above is fixed, finish the failover: masterha_master_switch"
                    + " --master_state=dead --conf=" + conf + " --dead_master_host=" + dead.hostname() + " --dead_master_port="
                    + dead.port() + " --ignore_last_failover");
            out.add("or, if the master is in fact alive, let the replicas receive again:");
            for (ServerSnapshot r : replicas) out.add("  " + r.label() + ": " + dialect(r).startReplica() + ";");
            return out;
        }
        ServerSnapshot nm = newMaster.get();
        Dialect nd = dialect(nm);
        if (activated) {
            out.add(nm.label() + " is the new master and takes writes. Left:");
            out.add("  " + nm.label() + ": " + nd.stopReplica() + "; " + nd.resetReplicaAll() + ";");
        } else {
            out.add(nm.label() + " was chosen as the new master but does not take writes yet. When it holds every transaction the"
                    + " others received (compare gtid_binlog_pos / Executed_Gtid_Set), run:");
            out.add("  " + nm.label() + ": " + nd.stopReplica() + "; " + nd.resetReplicaAll() + "; SET GLOBAL read_only=0;");
        }
        if (!gtid && byPosition.isEmpty()) {
            out.add("and let the tool bring the other replicas up to date (without GTID each needs its relay-log difference applied"
                    + " first): masterha_master_switch --master_state=dead --conf=" + conf + " --dead_master_host=" + dead.hostname()
                    + " --dead_master_port=" + dead.port() + " --new_master_host=" + nm.config().hostname() + " --new_master_port="
                    + nm.config().port() + " --ignore_last_failover");
            return out;
        }
        out.add("and point the other replicas at it:");
        for (ServerSnapshot r : replicas) {
            if (r.config().equals(nm.config())) continue;
            Dialect d = dialect(r);
            String change = gtid ? d.changeMaster(nm.config().ip(), nm.config().port(), replUser, "******")
                    : d.changeMasterToPosition(nm.config().ip(), nm.config().port(), replUser, "******", byPosition.get());
            out.add("  " + r.label() + ": " + d.stopReplica() + "; " + change + "; " + d.startReplica() + ";");
        }
        return out;
    }

    private static Dialect dialect(ServerSnapshot s) {
        return Dialect.of(s.version());
    }
}
