package org.mha4j.manager;

import java.time.Duration;
import java.util.List;
import org.mha4j.config.ServerConfig;
import org.mha4j.failover.FailoverRunner;
import org.mha4j.monitor.MonitorEvents;
import org.mha4j.promote.Steps;

/**
 * What one application's manager does, as it happens: the checks and verdicts of its monitor, the phases and steps of
 * its failovers. masterha_manager needs none of it ({@link #NONE}); mha serve shows it. Called on the manager's threads:
 * an implementation returns at once and never throws.
 */
public interface ManagerEvents extends MonitorEvents, Steps.Listener {
    ManagerEvents NONE = new ManagerEvents() {};

    /** The start-up checks passed: this master is watched now, with these replicas. */
    default void watching(ServerConfig master, List<ServerConfig> replicas) {}

    /** The master was found dead after {@code detection}; its failover starts. */
    default void failoverStarted(ServerConfig dead, Duration detection) {}

    default void failoverEnded(ServerConfig dead, FailoverRunner.Result result) {}
}
