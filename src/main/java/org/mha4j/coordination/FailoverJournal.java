package org.mha4j.coordination;

import java.util.ArrayList;
import java.util.List;
import org.mha4j.promote.Step;

/**
 * The failover of an application as its leader manager writes it to ZooKeeper, step by step, so that a manager that
 * takes over in the middle knows what was done.
 *
 * @param manager  who ran it ({@code host:pid})
 * @param epoch    its leadership epoch
 * @param dead     the dead master ({@code host:port})
 * @param state    {@link #RUNNING}, {@link #COMPLETED}, {@link #FAILED}, {@link #RERUN} or {@link #ABANDONED}
 * @param newMaster the new master ({@code host:port}) once completed; null before
 * @param takenOverBy the successor that found it running, when one did
 */
public record FailoverJournal(String manager, long epoch, String dead, String started, String state, String newMaster,
                              List<Step> steps, String ended, String takenOverBy) {
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    /** A successor found it running, nothing changed yet, and runs it again (its own journal follows). */
    public static final String RERUN = "rerun";
    /** A successor found it running and half done: reported, not repeated; an operator finishes it. */
    public static final String ABANDONED = "abandoned";

    public FailoverJournal {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    FailoverJournal withStep(Step s) {
        List<Step> more = new ArrayList<>(steps);
        more.add(s);
        return new FailoverJournal(manager, epoch, dead, started, state, newMaster, more, ended, takenOverBy);
    }

    FailoverJournal ended(String newState, String newMasterId, String at) {
        return new FailoverJournal(manager, epoch, dead, started, newState, newMasterId, steps, at, takenOverBy);
    }

    FailoverJournal takenOver(String by, boolean rerun, String at) {
        return new FailoverJournal(manager, epoch, dead, started, rerun ? RERUN : ABANDONED, newMaster, steps, at, by);
    }

    /** The failover is over: completed, failed, or left half done. A rerun goes on under its successor. */
    public boolean over() {
        return COMPLETED.equals(state) || FAILED.equals(state) || ABANDONED.equals(state);
    }
}
