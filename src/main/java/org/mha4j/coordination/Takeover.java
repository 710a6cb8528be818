package org.mha4j.coordination;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mha4j.promote.Step;
import org.mha4j.promote.Steps;

/**
 * What a manager that now leads does with a failover its predecessor left running (it died, or lost ZooKeeper, in the
 * middle). Pure: the journal in, a verdict with its code and an account out.
 *
 * <p>Phases 1 and 2 change no server but through the dead master's hooks, which MHA's contract makes safe to run again
 * (an operator reruns a failed failover the same way). From Phase 3 on, the candidate has been caught up, promoted or
 * replicas re-pointed: running the failover again from its start would judge a topology it no longer matches, so the
 * successor stops and says exactly what was changed. A failover that failed after its Phase 1, or that a successor
 * found half done, blocks the next automatic failover of that master on every host, as {@code <app>.failover.error}
 * does on one, until an operator restarts a manager with {@code --ignore_last_failover}.
 */
public final class Takeover {
    private Takeover() {}

    public enum Code {
        /** No failover of this dead master was left running: nothing to take over. */
        NONE,
        /** It stopped before changing a server: the successor runs the failover again, whole. */
        RERUN,
        /** It changed servers: the successor changes nothing and reports what was done and what is left. */
        REPORT
    }

    public record Verdict(Code code, List<String> account) {
        public Verdict {
            account = List.copyOf(account);
        }
    }

    /**
     * @param deadMaster the master this manager found dead ({@code host:port})
     * @param ignoreLastFailover the operator's {@code --ignore_last_failover}: a failover that failed or was left half
     *                           done is no reason to refuse (the operator repaired what it left)
     */
    public static Verdict judge(FailoverJournal j, String deadMaster, String me, boolean ignoreLastFailover) {
        if (j == null || !deadMaster.equals(j.dead())) return new Verdict(Code.NONE, List.of());
        String by = "Manager " + j.manager() + (j.manager().equals(me) ? " (this process, before)" : "");
        if (!ignoreLastFailover && (FailoverJournal.FAILED.equals(j.state()) || FailoverJournal.ABANDONED.equals(j.state()))) {
            // the shared form of <app>.failover.error: a failover that failed once its Phase 2 began blocks the next one
            // on every host, not only on the host whose manager ran it
            if (j.steps().stream().anyMatch(s -> s.phase() != null && !s.phase().isEmpty() && !s.phase().startsWith("Phase 1"))) {
                List<String> account = new ArrayList<>();
                account.add(by + " ran the failover of " + j.dead() + " at " + j.started() + " and it "
                        + (FailoverJournal.FAILED.equals(j.state()) ? "failed" : "was left half done (reported by " + j.takenOverBy() + ")")
                        + " after its Phase 1.");
                addChanges(account, j);
                return new Verdict(Code.REPORT, account);
            }
            return new Verdict(Code.NONE, List.of());
        }
        if (!FailoverJournal.RUNNING.equals(j.state())) return new Verdict(Code.NONE, List.of());
        List<String> account = new ArrayList<>();
        String last = j.steps().isEmpty() ? "before its first step" : "after " + describe(j.steps().getLast());
        account.add(by + " started the failover of " + j.dead() + " at " + j.started() + " (epoch " + j.epoch() + ") and stopped " + last + ".");
        if (changes(j).isEmpty()) {
            account.add("No server was changed after Phase 2 (" + j.steps().size() + " step(s) recorded): this manager runs the failover again.");
            return new Verdict(Code.RERUN, account);
        }
        addChanges(account, j);
        return new Verdict(Code.REPORT, account);
    }

    private static List<Step> changes(FailoverJournal j) {
        return j.steps().stream().filter(s -> !earlyPhase(s.phase()) && Steps.changesServer(s.name(), s.statement())).toList();
    }

    private static void addChanges(List<String> account, FailoverJournal j) {
        List<Step> changes = changes(j);
        account.add(changes.isEmpty() ? "It changed no server after Phase 2." : "It changed servers; done, in order:");
        Set<String> touched = new LinkedHashSet<>();
        for (Step s : changes) {
            account.add("  " + (s.server() == null ? "" : s.server() + ": ") + s.statement() + " [" + s.outcome() + "]");
            if (s.server() != null) touched.add(s.server());
        }
        account.add("Left to do by hand: check " + (touched.isEmpty() ? "" : String.join(", ", touched) + " and ") + "every replica"
                + " (masterha_check_repl shows which still replicate from " + j.dead() + "), finish the promotion of the server made"
                + " master if any (read_only=0, the VIP or master_ip_failover_script), point the remaining replicas at it, remove"
                + " the failover error file in manager_workdir, and start the managers again (once with --ignore_last_failover).");
    }

    private static boolean earlyPhase(String phase) {
        return phase == null || phase.startsWith("Phase 1") || phase.startsWith("Phase 2");
    }

    private static String describe(Step s) {
        return (s.phase() == null || s.phase().isEmpty() ? "" : s.phase() + ", ") + (s.server() == null ? "" : s.server() + " ")
                + (s.statement() == null ? s.name() : s.statement()) + " [" + s.outcome() + "]";
    }
}
