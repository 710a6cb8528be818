package org.mha4j.failover;

/**
 * A failover (or switch) that cannot be made safe; the message says why. Thrown in Phase 1, nothing has been changed;
 * thrown later, the failover report says what is left to do by hand.
 */
public final class FailoverRefused extends Exception {
    public FailoverRefused(String reason) {
        super(reason);
    }
}
