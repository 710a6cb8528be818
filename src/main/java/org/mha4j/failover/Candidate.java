package org.mha4j.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ServerSnapshot;

/**
 * A surviving replica as the failover sees it: what it received from the dead master, and why it may not be promoted.
 *
 * @param received what its IO thread received (applied or still in the relay log): this ranks replicas
 * @param errant   transactions it wrote itself; promoting it would spread them everywhere
 * @param flaws    reasons it must not become master (empty: it may)
 * @param position  without GTID: the master binlog position its IO thread reached, which then ranks replicas
 */
public record Candidate(ServerSnapshot server, GtidSet received, GtidSet errant, List<String> flaws, Optional<BinlogPosition> position) {

    /**
     * @param othersReceived what the other replicas received: a replica's own transactions are errant only if no
     *                       other has them (a former master's own transactions are everywhere and are fine)
     */
    public static Candidate of(ServerSnapshot s, GtidSet othersReceived) {
        GtidSet received = received(s);
        GtidSet errant = ownTransactions(s).subtract(othersReceived);
        List<String> flaws = flaws(s);
        if (!errant.isEmpty()) flaws.add("it holds errant transactions " + errant);
        return new Candidate(s, received, errant, List.copyOf(flaws), Optional.empty());
    }

    /**
     * A replica of a cluster replicating by file and position: ranked by what its IO thread read from the master's
     * binlog. Errant transactions cannot be told without GTID replication, so none are assumed.
     */
    public static Candidate byPosition(ServerSnapshot s) {
        ReplicaStatus r = s.replica().orElseThrow();
        GtidSet none = GtidSet.parse(s.version().flavor(), "");
        return new Candidate(s, none, none, List.copyOf(flaws(s)), Optional.of(new BinlogPosition(r.masterLogFile(), r.readMasterLogPos())));
    }

    private static List<String> flaws(ServerSnapshot s) {
        List<String> flaws = new ArrayList<>();
        if (s.config().noMaster()) flaws.add("no_master=1");
        if (!s.logBin()) flaws.add("log-bin is off");
        s.replica().filter(ReplicaStatus::sqlThreadFailed).ifPresent(r -> flaws.add("its SQL thread failed (" + r.sqlError() + ")"));
        return flaws;
    }

    /** The same replica with one more reason not to promote it. */
    Candidate withFlaw(String flaw) {
        List<String> more = new ArrayList<>(flaws);
        more.add(flaw);
        return new Candidate(server, received, errant, List.copyOf(more), position);
    }

    /** Whether this replica received everything {@code other} received. */
    public boolean covers(Candidate other) {
        if (position.isPresent() && other.position.isPresent()) return position.get().compareTo(other.position.get()) >= 0;
        return received.containsAll(other.received);
    }

    /** What it received, for the log: a GTID set, or a master binlog position. */
    public String progress() {
        return position.map(BinlogPosition::toString).orElseGet(received::toString);
    }

    static GtidSet received(ServerSnapshot s) {
        return Dialect.of(s.version()).receivedGtids(s);
    }

    /** Transactions that originated on the replica itself (its server_id or server_uuid). */
    static GtidSet ownTransactions(ServerSnapshot s) {
        return Dialect.of(s.version()).ownTransactions(s);
    }

    public boolean promotable() {
        return flaws.isEmpty();
    }

    public String name() {
        return server.name();
    }

    public String label() {
        return server.label();
    }

    /** MHA's "too far behind" rule: a binlog file behind, or more than 100 MB of unapplied events. */
    public boolean farBehind(Candidate latest) {
        ReplicaStatus mine = server.replica().orElseThrow();
        ReplicaStatus theirs = latest.server.replica().orElseThrow();
        return theirs.masterLogFile().compareTo(mine.relayMasterLogFile()) > 0
                || theirs.readMasterLogPos() - mine.execMasterLogPos() > 100_000_000L;
    }
}
