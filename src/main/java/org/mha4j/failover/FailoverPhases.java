package org.mha4j.failover;

import java.util.List;
import org.mha4j.config.ServerConfig;
import org.mha4j.promote.Refusal;
import org.mha4j.topology.ServerSnapshot;

/**
 * The work of each of MHA's failover phases on the servers and hosts; {@link FailoverRunner} calls them in this order
 * and records them. The one implementation for real servers is {@link DeadMasterPhases}; tests drive the runner
 * with their own.
 */
interface FailoverPhases {

    /** Phase 1: every check that can refuse the failover, on the dead master's replicas; changes nothing. */
    List<ServerSnapshot> configurationCheck() throws Refusal;

    /**
     * Phase 2: the replicas stop receiving, the old master is fenced, the dead-master hooks run.
     *
     * @return the dead master's host answers SSH (its binlog can be read)
     */
    boolean deadMasterShutdown(List<ServerSnapshot> replicas) throws Exception;

    /** Phase 3: a new master that holds everything any replica received (and the dead master's saved binlog), writable. */
    ServerSnapshot masterRecovery(boolean deadHostAnswersSsh) throws Exception;

    /** Phase 4: the other replicas follow the new master. @return one line per replica that could not be recovered */
    List<String> slavesRecovery(ServerSnapshot newMaster) throws Exception;

    /** Phase 5: the new master forgets it was a replica. */
    void newMasterCleanup(ServerSnapshot newMaster) throws Exception;

    /** The replicas of the new master, for report_script. */
    List<ServerConfig> newReplicas(ServerSnapshot newMaster);

    /** After a failure from Phase 2 on: what the operator must do by hand, server by server. */
    List<String> leftToDo();

    /** Without GTID, once the new master took its role: where the dead master's binlog and the new master's meet. */
    default java.util.Optional<org.mha4j.promote.FailoverRecord.Positions> positions() {
        return java.util.Optional.empty();
    }

    /** Releases what Phase 1 took (the failover locks); called once, however the failover ended. */
    void close();
}
