package org.mha4j.promote;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one failover or switch, in the order they ended, recorded while it runs (from several threads: the
 * replicas are recovered in parallel). What {@link FailoverRecord} writes out.
 */
public final class Steps {

    /** A step's work. */
    public interface Body<T> {
        T run() throws Exception;
    }

    /** Who follows a failover or switch while it runs (mha serve's API and dashboard); called on the step's thread. */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void phaseEntered(String name) {}

        default void stepEnded(Step step) {}
    }

    /**
     * Asked before every step that changes a server: a manager that may no longer act (it lost its ZooKeeper leadership)
     * refuses there, so that two managers never both change the servers of one application.
     */
    public interface Guard {
        Guard NONE = () -> {};

        void ensure() throws Refusal;
    }

    private static final Logger log = LoggerFactory.getLogger("mha");
    private static final java.util.regex.Pattern READ = java.util.regex.Pattern.compile("(?is)\\s*(SELECT|SHOW)\\b.*");

    private final List<Step> steps = new ArrayList<>();
    private final Listener listener;
    private final Guard guard;
    private volatile String phase = "";

    public Steps() {
        this(Listener.NONE, Guard.NONE);
    }

    public Steps(Listener listener, Guard guard) {
        this.listener = listener;
        this.guard = guard;
    }

    /**
     * Whether a step of this name and statement changes a server: a statement other than a read (SELECT, SHOW, and the
     * waits, which are SELECTs), events applied over SSH, a hook. A copy of files to the manager (sftp) does not.
     */
    public static boolean changesServer(String name, String statement) {
        if (name == null) return false;
        if (name.equals("ssh") || name.startsWith("hook ")) return true;
        return name.equals("sql") && statement != null && !READ.matcher(statement).matches();
    }

    /** The guard's check, for a change made outside {@link #run} (a hook). */
    public void ensureMayChange() throws Refusal {
        guard.ensure();
    }

    /** MHA's line for a phase or sub-phase ("* Phase 3.1: Getting Latest Slaves Phase.."); the steps from now on belong to it. */
    public void enterPhase(String name) {
        log.info("* {}..", name);
        phase = name;
        listener.phaseEntered(name);
    }

    public String phase() {
        return phase;
    }

    /** Runs {@code body} and records it, with its duration and how it ended; its exception goes on to the caller. */
    public <T> T run(String name, String server, String statement, Body<T> body) throws Exception {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        String p = phase;
        try {
            if (changesServer(name, statement)) guard.ensure();
            T out = body.run();
            add(new Step(p, name, server, statement, start.toString(), elapsed(t0), Step.OK, null));
            return out;
        } catch (Refusal r) {
            add(new Step(p, name, server, statement, start.toString(), elapsed(t0), Step.REFUSED, r.code() + ": " + r.getMessage()));
            throw r;
        } catch (Exception e) {
            add(new Step(p, name, server, statement, start.toString(), elapsed(t0), Step.FAILED, String.valueOf(e.getMessage())));
            throw e;
        }
    }

    public void add(Step s) {
        synchronized (this) {
            steps.add(s);
        }
        listener.stepEnded(s);
    }

    public synchronized List<Step> list() {
        return List.copyOf(steps);
    }

    private static long elapsed(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
