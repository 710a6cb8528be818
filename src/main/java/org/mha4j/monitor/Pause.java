package org.mha4j.monitor;

import java.util.concurrent.atomic.AtomicBoolean;

/** A sleep that ends early when the manager is told to stop (masterha_stop), so shutdown never waits a whole interval. */
public final class Pause {
    private Pause() {}

    public static void sleep(AtomicBoolean stop, long millis) {
        long until = System.currentTimeMillis() + millis;
        while (!stop.get() && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
                return;
            }
        }
    }
}
