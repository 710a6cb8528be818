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
 * @param state    {@link #RUNNING}, {@link #COMPLETED}, {@link #FAILED} or {@link #TAKEN_OVER}
 * @param newMaster the new master ({@code host:port}) once completed; null before
 */
public record FailoverJournal(String manager, long epoch, String dead, String started, String state, String newMaster,
                              List<Step> steps, String ended) {
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    /** A successor found it running without its manager and took it over (ran it again or reported it). */
    public static final String TAKEN_OVER = "taken_over";

    public FailoverJournal {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    FailoverJournal withStep(Step s) {
        List<Step> more = new ArrayList<>(steps);
        more.add(s);
        return new FailoverJournal(manager, epoch, dead, started, state, newMaster, more, ended);
    }

    FailoverJournal ended(String newState, String newMasterId, String at) {
        return new FailoverJournal(manager, epoch, dead, started, newState, newMasterId, steps, at);
    }
}
