package org.mha4j.serve;

import java.util.List;
import org.mha4j.promote.Step;

/**
 * A failover as it runs: the dead master, the phase it is in and the steps done so far.
 *
 * @param detectionMillis how long the master's death took to establish
 */
public record FailoverView(String master, String started, long detectionMillis, String phase, List<Step> steps) {
    public FailoverView {
        steps = List.copyOf(steps);
    }
}
