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
 * successor stops and says exactly what was changed.
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

    /** @param deadMaster the master this manager found dead ({@code host:port}) */
    public static Verdict judge(FailoverJournal j, String deadMaster, String me) {
        if (j == null || !FailoverJournal.RUNNING.equals(j.state()) || !deadMaster.equals(j.dead())) {
            return new Verdict(Code.NONE, List.of());
        }
        List<String> account = new ArrayList<>();
        String last = j.steps().isEmpty() ? "before its first step" : "after " + describe(j.steps().getLast());
        account.add("Manager " + j.manager() + (j.manager().equals(me) ? " (this process, before)" : "") + " started the failover of "
                + j.dead() + " at " + j.started() + " (epoch " + j.epoch() + ") and stopped " + last + ".");
        List<Step> changes = j.steps().stream().filter(s -> !earlyPhase(s.phase()) && Steps.changesServer(s.name(), s.statement())).toList();
        if (changes.isEmpty()) {
            account.add("No server was changed after Phase 2 (" + j.steps().size() + " step(s) recorded): this manager runs the failover again.");
            return new Verdict(Code.RERUN, account);
        }
        account.add("It changed servers; done, in order:");
        Set<String> touched = new LinkedHashSet<>();
        for (Step s : changes) {
            account.add("  " + (s.server() == null ? "" : s.server() + ": ") + s.statement() + " [" + s.outcome() + "]");
            if (s.server() != null) touched.add(s.server());
        }
        account.add("Left to do by hand: check " + String.join(", ", touched) + " and every other replica (masterha_check_repl shows"
                + " which still replicate from " + j.dead() + "), finish the promotion of the server made master (read_only=0, the"
                + " VIP or master_ip_failover_script), point the remaining replicas at it, then remove the failover error file"
                + " in manager_workdir and restart the managers.");
        return new Verdict(Code.REPORT, account);
    }

    private static boolean earlyPhase(String phase) {
        return phase == null || phase.startsWith("Phase 1") || phase.startsWith("Phase 2");
    }

    private static String describe(Step s) {
        return (s.phase() == null || s.phase().isEmpty() ? "" : s.phase() + ", ") + (s.server() == null ? "" : s.server() + " ")
                + (s.statement() == null ? s.name() : s.statement()) + " [" + s.outcome() + "]";
    }
}
