package org.mha4j.failover;

import java.util.List;

/**
 * What a failover will do. Planned in Phase 1 on what the replicas hold then, so that a refusal comes before any change,
 * and again in Phase 3 on their final positions, after their relay logs were applied.
 *
 * @param latest     a replica that received everything any replica received: the source of missing events
 * @param catchUp    the new master must first replicate from {@code latest} to hold what {@code latest} holds
 * @param others     the replicas to re-point at the new master
 * @param reasoning  why this new master, in the order the rules were applied, for the log and the report
 */
public record FailoverPlan(Candidate newMaster, Candidate latest, boolean catchUp, List<Candidate> others,
                           List<String> reasoning) {
}
