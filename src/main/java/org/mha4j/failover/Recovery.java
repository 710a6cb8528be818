package org.mha4j.failover;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mha4j.promote.Refusal;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.workdir.Workdir;

/**
 * How the dead master's replicas are brought to one state and made to follow the new master: by GTID, or by binlog
 * file and position with the relay-log differences. Chosen in Phase 1, when every replica's mode is known; the
 * phases the two share are {@link DeadMasterPhases}'.
 */
sealed interface Recovery permits GtidRecovery, PositionRecovery {

    /**
     * GTID auto-positioning when every replica uses it; otherwise file and position, and also with MHA's
     * use_gtid_auto_pos=0, which asks for file and position although GTID is on (the replicas are then re-pointed by
     * file and position).
     */
    static Recovery of(FailoverContext ctx, List<ServerSnapshot> replicas) {
        boolean gtid = ctx.app.first().useGtidAutoPos() && replicas.stream().allMatch(r -> r.replica().orElseThrow().usesGtid());
        LogRecovery logs = new LogRecovery(ctx.dead, Workdir.forLogPieces(Path.of(ctx.app.first().managerWorkdir()), ctx.app.appName()), ctx.settings.gtidWait(),
                ctx.promotion.steps(), ctx::shell);
        return gtid ? new GtidRecovery(ctx, replicas, logs) : new PositionRecovery(ctx, replicas, logs);
    }

    /** For the log: MHA's "GTID" or "Non-GTID". */
    String kind();

    /** The part of Phase 1 only this recovery needs; changes nothing. */
    void check() throws Refusal;

    /** Phase 3. */
    ServerSnapshot recoverMaster(boolean deadHostAnswersSsh) throws Exception;

    /** Phase 4: every replica but the new master. */
    List<String> recoverReplicas(ServerSnapshot newMaster) throws Exception;

    /** The replicas Phase 4 re-points, as Phase 3 left them. */
    List<ServerSnapshot> others(ServerSnapshot newMaster);

    /** Without GTID: where the others continue on the new master, once known. */
    Optional<BinlogPosition> newMasterPosition();

    /**
     * Without GTID: how far in the dead master's binlog the new master holds everything (what the saved tail reached,
     * else what the latest replica had read), once known. With the new master's position, what mha rejoin needs to
     * tell whether the old master holds more and where it continues.
     */
    default Optional<BinlogPosition> deadMasterPosition() {
        return Optional.empty();
    }
}
