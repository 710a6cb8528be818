package org.mha4j.topology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mha4j.config.ServerConfig;

/**
 * Finds the master of a topology snapshot: the one server that replicates from no other, or the writable side
 * of a dual-master pair, or (when it is down) the server the replicas point at. Pure: snapshots in, verdict out.
 */
public final class MasterResolver {
    private MasterResolver() {}

    public static MasterResolution resolve(Topology t) {
        List<ServerSnapshot> alive = t.alive();
        List<String> problems = new ArrayList<>();
        for (ServerSnapshot s : alive) {
            s.replica().ifPresent(r -> {
                if (t.serverAt(r.masterHost(), r.masterPort()).isEmpty()) {
                    problems.add(s.label() + " replicates from " + r.masterId() + ", which is not defined in "
                            + t.config().file().getFileName() + ": add that server as a [serverN] block, or re-point "
                            + s.name() + " at a configured server");
                }
            });
        }
        if (!problems.isEmpty()) return new MasterResolution.Unresolved(problems, map(t));

        List<ServerSnapshot> roots = alive.stream().filter(s -> !s.isReplica()).toList();
        Optional<ServerConfig> master;
        if (roots.size() > 1) {
            return new MasterResolution.Unresolved(List.of(roots.size() + " servers replicate from no other server ("
                    + String.join(", ", roots.stream().map(ServerSnapshot::label).toList())
                    + "); MHA4J manages exactly one master per application: make all but one of them replicas of the master,"
                    + " or remove them from the config"), map(t));
        } else if (roots.size() == 1) {
            master = Optional.of(roots.getFirst().config());
        } else {
            Set<ServerConfig> targets = new LinkedHashSet<>();
            alive.forEach(s -> s.replica().flatMap(r -> t.serverAt(r.masterHost(), r.masterPort())).ifPresent(targets::add));
            List<ServerConfig> deadTargets = targets.stream().filter(c -> snapshotOf(t, c).isEmpty()).toList();
            if (targets.isEmpty()) {
                return new MasterResolution.Unresolved(List.of("no configured server answered, so the master cannot be determined"), map(t));
            } else if (deadTargets.size() == 1) {
                master = Optional.of(deadTargets.getFirst());
            } else if (deadTargets.size() > 1) {
                return new MasterResolution.Unresolved(List.of("replicas point at " + deadTargets.size()
                        + " different servers that do not answer: " + labels(deadTargets)), map(t));
            } else {
                List<ServerConfig> writable = targets.stream().filter(c -> !snapshotOf(t, c).orElseThrow().readOnly()).toList();
                if (writable.size() != 1) {
                    return new MasterResolution.Unresolved(List.of(writable.isEmpty()
                            ? "multi-master configuration detected (" + labels(List.copyOf(targets))
                              + "), but all of them are read-only: set read_only=0 on the one that takes writes"
                            : "multi-master configuration detected, but " + labels(writable)
                              + " are all writable: set read_only=1 on all but the real master"), map(t));
                }
                master = Optional.of(writable.getFirst());
            }
        }
        ServerConfig m = master.orElseThrow();
        List<ServerSnapshot> replicas = new ArrayList<>();
        List<ServerSnapshot> unmanaged = new ArrayList<>();
        for (ServerSnapshot s : alive) {
            if (s.config().equals(m) || s.replica().isEmpty()) continue;
            ServerConfig target = t.serverAt(s.replica().get().masterHost(), s.replica().get().masterPort()).orElseThrow();
            if (target.equals(m)) {
                replicas.add(s);
            } else if (isDescendantOf(t, target, m) && s.config().multiTierSlave()) {
                unmanaged.add(s);
                // the intermediate master takes no writes of its own (MHA: "two or more masters are writable")
                snapshotOf(t, target).filter(im -> !im.readOnly()).map(im -> im.label()
                        + " is an intermediate master (replicas replicate from it) and is writable: set read_only=1 on it,"
                        + " or writes there reach only its own replicas").filter(msg -> !problems.contains(msg)).ifPresent(problems::add);
            } else {
                problems.add(s.label() + " replicates from " + ServerLabels.label(target) + ", but the master is "
                        + ServerLabels.label(m) + (isDescendantOf(t, target, m)
                        ? ": multi-tier replication needs multi_tier_slave=1 (its replicas are then not managed)"
                        : ": re-point it at the master"));
            }
        }
        if (!problems.isEmpty()) return new MasterResolution.Unresolved(problems, map(t));
        return new MasterResolution.Resolved(m, snapshotOf(t, m), List.copyOf(replicas), List.copyOf(unmanaged));
    }

    /**
     * {@code server} replicates from {@code master} through any number of intermediate masters (M -> S1 -> S2 -> S3),
     * as far as the servers that answer tell.
     */
    public static boolean isDescendantOf(Topology t, ServerConfig server, ServerConfig master) {
        Set<ServerConfig> seen = new LinkedHashSet<>();
        Optional<ServerConfig> up = Optional.of(server);
        while (up.isPresent() && seen.add(up.get())) {
            up = snapshotOf(t, up.get()).flatMap(ServerSnapshot::replica).flatMap(r -> t.serverAt(r.masterHost(), r.masterPort()));
            if (up.filter(master::equals).isPresent()) return true;
        }
        return false;
    }

    private static Optional<ServerSnapshot> snapshotOf(Topology t, ServerConfig c) {
        return t.probe(c).flatMap(ServerProbe::alive);
    }

    private static String labels(List<ServerConfig> servers) {
        return String.join(", ", servers.stream().map(ServerLabels::label).toList());
    }

    /** One line per server saying what it replicates from, for error messages. */
    public static List<String> map(Topology t) {
        List<String> out = new ArrayList<>();
        for (ServerProbe p : t.probes()) {
            String what = switch (p) {
                case ServerProbe.Unreachable u -> "not reachable (" + u.failure().reason() + ")";
                case ServerProbe.Unreadable u -> "state unreadable";
                case ServerProbe.Alive a -> a.snapshot().replica()
                        .map(r -> "replicates from " + r.masterId()
                                + t.serverAt(r.masterHost(), r.masterPort()).map(c -> " (" + c.block() + ")").orElse(" (not in the config)"))
                        .orElse("replicates from no server" + (a.snapshot().readOnly() ? ", read_only=ON" : ", writable"));
            };
            out.add(p.label() + ": " + what);
        }
        return out;
    }
}
