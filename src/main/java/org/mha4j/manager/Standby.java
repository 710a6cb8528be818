package org.mha4j.manager;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.config.ServerConfig;
import org.mha4j.coordination.FailoverJournal;
import org.mha4j.coordination.Leadership;
import org.mha4j.topology.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager that found the master dead but does not lead the application (ZooKeeper coordination): it waits for the
 * leader's failover to complete, for the master to answer again, or for the leadership to come to it (the leader died
 * too, or lost ZooKeeper), and says which. Without a ZooKeeper quorum nobody leads, so nobody fails over.
 */
final class Standby {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private static final Duration SAY_AGAIN = Duration.ofSeconds(30);
    private static final Duration PING_EVERY = Duration.ofSeconds(5);

    enum Next {
        /** This manager leads now: it fails the master over itself. */
        FAIL_OVER,
        /** The leader failed the master over: look at the topology again, without the dead master. */
        FAILED_OVER,
        /** The leader's failover failed, or the master answers: look at the topology again. */
        WATCH_AGAIN,
        STOP
    }

    private final Leadership lead;
    private final AtomicBoolean stop;
    private final Semaphore changed;

    /** @param changed released when the leadership changes: the standby acts at once, not at its next look */
    Standby(Leadership lead, AtomicBoolean stop, Semaphore changed) {
        this.lead = lead;
        this.stop = stop;
        this.changed = changed;
    }

    /** @param watchedSince when this manager started watching the master; null when it was unreachable from the start */
    Next await(ServerConfig master, Instant watchedSince) {
        log.warn("Master {} is unreachable. This manager does not lead the application (leader: {}): it fails over only if it comes"
                + " to lead.", master.id(), lead.leaderText());
        Instant said = Instant.now();
        Instant pinged = Instant.now();
        // a journal already over when the wait begins is an earlier failover's (the master was dead at this start)
        Optional<FailoverJournal> before = journalOf(master, watchedSince).filter(FailoverJournal::over);
        while (!stop.get()) {
            if (lead.leads()) {
                log.warn("This manager now leads: it fails over the dead master {} itself.", master.id());
                return Next.FAIL_OVER;
            }
            Optional<FailoverJournal> j = journalOf(master, watchedSince);
            if (j.isPresent() && j.get().over() && !j.equals(before)) {
                log.info("Manager {} ended the failover of {}: {}{}.", j.get().manager(), master.id(), j.get().state(),
                        j.get().newMaster() == null ? "" : ", new master " + j.get().newMaster());
                return FailoverJournal.COMPLETED.equals(j.get().state()) ? Next.FAILED_OVER : Next.WATCH_AGAIN;
            }
            if (Duration.between(pinged, Instant.now()).compareTo(PING_EVERY) >= 0) {
                pinged = Instant.now();
                if (answers(master)) {
                    log.info("Master {} answers again: watching it again.", master.id());
                    return Next.WATCH_AGAIN;
                }
            }
            if (Duration.between(said, Instant.now()).compareTo(SAY_AGAIN) >= 0) {
                said = Instant.now();
                log.warn("Master {} is still unreachable; leader: {}{}.", master.id(), lead.leaderText(),
                        j.map(x -> "; failover by " + x.manager() + " running, " + x.steps().size() + " step(s) so far").orElse(""));
            }
            try {
                changed.tryAcquire(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Next.STOP;
            }
        }
        return Next.STOP;
    }

    private Optional<FailoverJournal> journalOf(ServerConfig master, Instant since) {
        return lead.journal().filter(j -> j.dead().equals(master.id()))
                .filter(j -> since == null || !Instant.parse(j.started()).isBefore(since));
    }

    private static boolean answers(ServerConfig master) {
        try (java.sql.Connection c = Db.connect(master, Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            return true;
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
