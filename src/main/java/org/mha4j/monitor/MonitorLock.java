package org.mha4j.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.Db;
import org.mha4j.workdir.WorkdirLock;

/**
 * One manager per application. MHA's advisory lock on the master, held on a connection of its own while the master is
 * watched, keeps out a manager on another host (MHA 0.58's own manager too, which takes the same lock) and an online
 * switch; a file lock in manager_workdir keeps out a second manager on this host also while the master is down. Two
 * managers failing over the same master would re-point replicas the first one already moved.
 */
public final class MonitorLock implements AutoCloseable {
    /** MHA's name for it: MHA's masterha_master_switch refuses to switch while it is taken, and so does MHA4J's. */
    public static final String NAME = "MHA_Master_High_Availability_Monitor";

    private final WorkdirLock onThisHost;
    private Connection onMaster;

    private MonitorLock(WorkdirLock onThisHost) {
        this.onThisHost = onThisHost;
    }

    /** Thrown when another manager holds the lock; the message says which lock and what to do. */
    public static final class Taken extends Exception {
        Taken(String message) {
            super(message);
        }
    }

    /** The file lock {@code <manager_workdir>/<app>.monitor.lock}: free again when this process ends, however it ends. */
    public static MonitorLock onThisHost(AppConfig app) throws Taken, IOException {
        Path dir = Path.of(app.first().managerWorkdir());
        String name = app.appName() + ".monitor.lock";
        Optional<WorkdirLock> lock = WorkdirLock.tryTake(dir, name);
        if (lock.isEmpty()) {
            throw new Taken("another manager of " + app.appName() + " runs on this host" + WorkdirLock.holder(dir, name).map(p -> " (pid " + p + ")")
                    .orElse("") + ", it holds " + dir.resolve(name) + ": stop it first (masterha_stop --conf=" + app.file() + ")");
        }
        return new MonitorLock(lock.get());
    }

    /**
     * MHA's lock on {@code master}, waiting up to {@code wait} as MHA does (a manager killed a moment ago may still
     * hold it until the server notices). A master that cannot be asked is not a reason to refuse: it is the monitor's
     * business to find out whether it is dead.
     *
     * @return why the lock could not be taken, when another session holds it
     */
    public Optional<String> takeOnMaster(ServerConfig master, Duration wait) {
        releaseMaster();
        try {
            Optional<Connection> c = Db.namedLock(master, NAME, wait);
            if (c.isPresent()) {
                onMaster = c.get();
                return Optional.empty();
            }
            return Optional.of("another manager monitors " + org.mha4j.topology.ServerLabels.label(master) + " (the lock " + NAME + " on it stayed taken for "
                    + wait.toSeconds() + " s): one manager per application; stop the other one first");
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Gives up the lock on the master (before watching another one, or a failover that moves the role). */
    public void releaseMaster() {
        if (onMaster == null) return;
        try {
            onMaster.close();  // a session's named locks end with it
        } catch (SQLException ignored) {
            // the server frees the lock when it notices the connection is gone
        }
        onMaster = null;
    }

    @Override
    public void close() {
        releaseMaster();
        onThisHost.close();
    }
}
