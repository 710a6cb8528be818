package org.mha4j.monitor;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A sleep that ends early when the manager is told to stop (masterha_stop), so shutdown never waits a whole interval.
 * {@link #stop} wakes the sleepers of a flag at once; a flag set directly is still seen within a second. A long sleep
 * wakes on whole seconds of the wall clock, all sleepers together, and once more at its end (which the monitors put on
 * their own grid, {@code MasterMonitor.sleepRest}): mha serve has hundreds of them, and an idle process pays more CPU
 * for each wake-up than for the work it then does (docs/benchmarks.md, "mha serve at scale"; this used to look at the
 * flag every 100 ms, ten wake-ups a second per sleeping thread).
 */
public final class Pause {
    private static final long SLICE_MS = 1000;
    private static final Map<AtomicBoolean, Set<Thread>> SLEEPERS = new ConcurrentHashMap<>();

    private Pause() {}

    public static void sleep(AtomicBoolean stop, long millis) {
        long until = System.currentTimeMillis() + millis;
        Thread me = Thread.currentThread();
        SLEEPERS.compute(stop, (k, v) -> {
            Set<Thread> s = v != null ? v : ConcurrentHashMap.newKeySet();
            s.add(me);
            return s;
        });
        try {
            while (!stop.get()) {
                long now = System.currentTimeMillis();
                if (now >= until) return;
                long sliceEnd = Math.min(until, now + SLICE_MS - Math.floorMod(now, SLICE_MS));
                LockSupport.parkNanos((sliceEnd - now) * 1_000_000);
                if (me.isInterrupted()) {
                    stop.set(true);
                    return;
                }
            }
        } finally {
            SLEEPERS.computeIfPresent(stop, (k, v) -> {
                v.remove(me);
                return v.isEmpty() ? null : v;
            });
        }
    }

    /** Sets {@code stop} and wakes every thread sleeping on it now. */
    public static void stop(AtomicBoolean stop) {
        stop.set(true);
        Set<Thread> sleeping = SLEEPERS.get(stop);
        if (sleeping != null) sleeping.forEach(LockSupport::unpark);
    }
}
