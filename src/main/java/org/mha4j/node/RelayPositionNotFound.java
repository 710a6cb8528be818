package org.mha4j.node;

/**
 * A master position is not (or no longer) in a replica's relay logs: that replica cannot be the source of the
 * difference. {@code apply_diff_relay_logs} exits {@value #EXIT_CODE} for it, so the manager can tell it from other
 * failures (MHA's internal status for the same case is 12 too).
 */
public final class RelayPositionNotFound extends NodeException {
    public static final int EXIT_CODE = 12;

    public RelayPositionNotFound(String message) {
        super(message);
    }
}
