package org.mha4j.failover;

/** A failover that cannot be made safe; the message says why and nothing has been changed. */
public final class FailoverRefused extends Exception {
    public FailoverRefused(String reason) {
        super(reason);
    }
}
