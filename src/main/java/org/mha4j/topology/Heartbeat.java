package org.mha4j.topology;

/**
 * A replica's replication heartbeat: how often its master sends one when it has nothing else to send, and how many it
 * received so far. With a period of a second or so, a replica whose IO thread says "Yes" but that received nothing for
 * several periods is connected to a master that no longer sends: hung, not quiet.
 *
 * @param periodSeconds MASTER_HEARTBEAT_PERIOD (slave_net_timeout/2 unless set)
 * @param received      heartbeats received since replication (re)started
 */
public record Heartbeat(double periodSeconds, long received) {
}
