package org.mha4j.topology;

/**
 * A server's clock next to the manager's, read once: the server's time half-way through the round trip, minus the
 * manager's. The seed insists on synchronized clocks: binlog timestamps and Seconds_Behind_Master come from them.
 *
 * @param offsetMillis    server minus manager, in milliseconds
 * @param roundTripMillis how long the question took: the reading is right to within half of it
 */
public record ClockReading(long offsetMillis, long roundTripMillis) {
    /** The smallest skew the reading proves: what is left of the offset once the round trip's uncertainty is taken off. */
    public long provenSkewMillis() {
        return Math.max(0, Math.abs(offsetMillis) - (roundTripMillis + 1) / 2);
    }
}
