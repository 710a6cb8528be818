package org.mha4j.promote;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.mha4j.config.AppConfig;
import org.mha4j.workdir.Workdir;
import org.mha4j.workdir.WorkdirLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One failover or online switch of an application at a time on this host (a manual one next to another, or next to the
 * manager's): {@code <manager_workdir>/<app>.failover.lock}, taken before anything is read. Beyond this host, MHA's lock
 * on the replicas keeps a second failover out.
 */
public final class ChangeLock {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private ChangeLock() {}

    /**
     * @return the lock, to be closed when the change is over; empty when it cannot be created (a full disk), which does
     *         not stop the change
     * @throws Refusal another process holds it
     */
    public static Optional<WorkdirLock> take(AppConfig app) throws Refusal {
        Path dir = Path.of(app.first().managerWorkdir());
        String name = app.appName() + ".failover.lock";
        try {
            Optional<WorkdirLock> lock = WorkdirLock.tryTake(dir, name);
            if (lock.isPresent()) return lock;
        } catch (IOException e) {
            log.warn("Cannot take the lock {} ({}); MHA's lock on the replicas still keeps a second failover out.", dir.resolve(name),
                    Workdir.reason(e));
            return Optional.empty();
        }
        throw new Refusal(Refusal.Code.LOCK_TAKEN, "another failover or switch of " + app.appName() + " is running on this host"
                + WorkdirLock.holder(dir, name).map(p -> " (pid " + p + ")").orElse("") + ": it holds " + dir.resolve(name)
                + "; let it finish, nothing changed here");
    }
}
