package org.mha4j.config;

/** How the manager decides that the master is dead (MHA4J's {@code detection} key). */
public enum Detection {
    /**
     * A master whose host answers that nothing listens on its port (connection refused: mysqld crashed or was killed) is
     * suspected at the first failed check, any other master at the second instead of MHA's fourth; the replicas are
     * looked at with every check and confirm it as after four failures (a replica connected to it confirms only a
     * silence of 2.5 heartbeat periods), and so does the secondary check.
     */
    FAST,
    /** MHA's rule only: four failed checks in a row, then the secondary check and the replicas. */
    MHA;

    /**
     * The replicas' MASTER_HEARTBEAT_PERIOD the manager keeps with {@link #FAST}, in seconds: a connected replica then
     * confirms a silent master after 1.25 s, within the two failed checks that make it suspected at ping_interval=1.
     */
    public static final double HEARTBEAT_SECONDS = 0.5;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
