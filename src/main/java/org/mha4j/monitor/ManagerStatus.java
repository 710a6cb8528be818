package org.mha4j.monitor;

/** MHA's manager states, with the numbers masterha_check_status exits with. */
public enum ManagerStatus {
    PING_OK(0), NOT_RUNNING(2), PARTIALLY_RUNNING(3), INITIALIZING_MONITOR(10), PING_FAILING(20), PING_FAILED(21),
    RETRYING_MONITOR(30), CONFIG_ERROR(31), TIMESTAMP_OLD(32),
    /**
     * MHA4J: the managers of the application coordinate through ZooKeeper and another one leads; this one watches the
     * master as the leader does (its pings are as fresh as PING_OK's) and fails over only if it comes to lead.
     */
    STANDBY(40),
    FAILOVER_RUNNING(50), FAILOVER_ERROR(51),
    /** MHA4J: an old master answered again after a failover and was fenced ({@code <app>.needs_rejoin}); never in the status file. */
    NEEDS_REJOIN(60);

    public final int code;

    ManagerStatus(int code) {
        this.code = code;
    }
}
