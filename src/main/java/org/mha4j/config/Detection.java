package org.mha4j.config;

/** How the manager decides that the master is dead (MHA4J's {@code detection} key). */
public enum Detection {
    /**
     * MHA's rule, and one more: a master whose host answers that nothing listens on its port (connection refused: mysqld
     * crashed or was killed) is suspected at the first failed check instead of the fourth. The secondary check and the
     * replicas still confirm it, exactly as after four failures.
     */
    FAST,
    /** MHA's rule only: four failed checks in a row, then the secondary check and the replicas. */
    MHA;

    /** The replicas' MASTER_HEARTBEAT_PERIOD the manager keeps with {@link #FAST}, in seconds. */
    public static final double HEARTBEAT_SECONDS = 1.0;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
