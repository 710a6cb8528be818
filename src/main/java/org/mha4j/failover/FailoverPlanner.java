package org.mha4j.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.mha4j.promote.Refusal;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.ServerVersion;

/**
 * The decision core of a failover: surviving replicas in, a plan out. Pure, so every rule is unit-tested.
 * The new master is chosen by MHA's rules (forced host, then candidate_master and latest_priority, then config order);
 * unlike MHA it never promotes a replica with errant transactions, and refuses when replicas have diverged.
 */
public final class FailoverPlanner {
    private FailoverPlanner() {}

    public static FailoverPlan plan(List<ServerSnapshot> replicas, FailoverOptions o) throws Refusal {
        if (replicas.isEmpty()) throw new Refusal(Refusal.Code.NO_ALIVE_REPLICA, "no alive replica: there is nothing to promote");
        // as Recovery.of: by position when a replica replicates by position, or with MHA's use_gtid_auto_pos=0
        boolean byPosition = !replicas.getFirst().config().useGtidAutoPos()
                || replicas.stream().anyMatch(s -> s.replica().map(r -> !r.usesGtid()).orElse(true));
        List<Candidate> all = new ArrayList<>();
        for (ServerSnapshot s : replicas) {
            if (byPosition) {
                all.add(Candidate.byPosition(s));
                continue;
            }
            List<String> others = replicas.stream().filter(x -> x != s).map(x -> Candidate.received(x).toString()).toList();
            all.add(Candidate.of(s, GtidSet.parse(s.version().flavor(), String.join(",", others))));
        }
        // MHA's rule: a master of a newer series than a replica may write what that replica cannot apply
        ServerVersion oldest = replicas.stream().map(ServerSnapshot::version).reduce((a, b) -> a.newerSeriesThan(b) ? b : a).orElseThrow();
        all.replaceAll(c -> c.server().version().newerSeriesThan(oldest) ? c.withFlaw("its version " + c.server().version().series()
                + " is newer than the oldest replica's " + oldest.series() + " (older replicas cannot always replicate from a newer master)") : c);
        Candidate latest = latest(all);
        List<String> why = new ArrayList<>();
        why.add("latest replica: " + latest.label() + " (received " + latest.progress() + ")");
        boolean checkDelay = replicas.getFirst().config().checkReplDelay();
        Predicate<Candidate> good = c -> c.promotable() && !(checkDelay && c != latest && c.farBehind(latest));
        for (Candidate c : all) {
            if (!c.promotable()) why.add(c.label() + " cannot be master: " + String.join(", ", c.flaws()));
            else if (!good.test(c)) why.add(c.label() + " is too far behind the latest replica (check_repl_delay=1)");
        }
        Candidate chosen = choose(all, latest, good, o, why);
        boolean catchUp = !chosen.covers(latest);
        if (catchUp) why.add(chosen.label() + " first catches up from " + latest.label());
        List<Candidate> others = all.stream().filter(c -> c != chosen).toList();
        return new FailoverPlan(chosen, latest, catchUp, others, List.copyOf(why));
    }

    /** The replica whose received set contains every other's; replicas of one master never diverge unless something is wrong. */
    static Candidate latest(List<Candidate> all) throws Refusal {
        for (Candidate c : all) {
            if (all.stream().allMatch(c::covers)) return c;
        }
        StringBuilder sb = new StringBuilder("the replicas have diverged, none holds what all the others received: ");
        all.forEach(c -> sb.append(c.label()).append(" received ").append(c.progress()).append("; "));
        throw new Refusal(Refusal.Code.REPLICAS_DIVERGED, sb + "promoting any of them would lose the others' transactions. Repair by hand.");
    }

    private static Candidate choose(List<Candidate> all, Candidate latest, Predicate<Candidate> good, FailoverOptions o,
                                    List<String> why) throws Refusal {
        if (o.newMasterHost().isPresent()) {
            String host = o.newMasterHost().get();
            Candidate c = all.stream().filter(x -> (x.server().config().hostname().equals(host) || x.server().config().ip().equals(host)
                            || x.name().equals(host)) && o.newMasterPort().map(p -> p == x.server().config().port()).orElse(true))
                    .findFirst().orElseThrow(() -> new Refusal(Refusal.Code.NEW_MASTER_UNKNOWN, "--new_master_host " + host + " is not an alive replica of the dead master"));
            if (!good.test(c)) {
                String why2 = c.promotable() ? "it is too far behind the latest replica " + latest.label() + " (" + c.progress() + " against "
                        + latest.progress() + "; check_repl_delay=0 allows it)" : String.join(", ", c.flaws());
                throw new Refusal(Refusal.Code.NEW_MASTER_NOT_ELIGIBLE, c.label() + " was requested as new master but cannot be: " + why2);
            }
            why.add(c.label() + " chosen: requested with --new_master_host");
            return c;
        }
        boolean anyCandidate = all.stream().anyMatch(c -> c.server().config().candidateMaster());
        boolean latestPriority = all.getFirst().server().config().latestPriority();
        Predicate<Candidate> isLatest = c -> c.covers(latest);
        Predicate<Candidate> candidate = c -> c.server().config().candidateMaster();
        List<Rule> rules = List.of(
                new Rule("the latest replica (no candidate_master set)", c -> !anyCandidate && latestPriority && isLatest.test(c)),
                new Rule("a latest replica with candidate_master=1", c -> latestPriority && isLatest.test(c) && candidate.test(c)),
                new Rule("the first replica with candidate_master=1 in config order", candidate),
                new Rule("a latest replica", c -> latestPriority && isLatest.test(c)),
                new Rule("the first promotable replica in config order", c -> true));
        for (Rule r : rules) {
            Optional<Candidate> hit = all.stream().filter(good).filter(r.test()).findFirst();
            if (hit.isPresent()) {
                why.add(hit.get().label() + " chosen: " + r.name());
                return hit.get();
            }
        }
        throw new Refusal(Refusal.Code.NO_CANDIDATE, "none of the replicas can be master: " + String.join("; ", why.subList(1, why.size())));
    }

    private record Rule(String name, Predicate<Candidate> test) {}
}
