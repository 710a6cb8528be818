package org.mha4j.failover;

import java.util.List;
import java.util.Optional;

/**
 * What a failover will do, decided before anything is changed.
 *
 * @param latest     a replica that received everything any replica received: the source of missing events
 * @param catchUp    the new master must first replicate from {@code latest} to hold what {@code latest} holds
 * @param others     the replicas to re-point at the new master
 * @param lossWarning set when transactions may exist only on the dead master (it had fallen back to async)
 * @param reasoning  why this new master, in the order the rules were applied, for the log and the report
 */
public record FailoverPlan(Candidate newMaster, Candidate latest, boolean catchUp, List<Candidate> others,
                           Optional<String> lossWarning, List<String> reasoning) {
}
