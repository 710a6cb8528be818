package org.mha4j.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.mha4j.promote.Refusal;

/**
 * MHA's two flag files in manager_workdir: {@code <app>.failover.complete} (its mtime is the last failover, for
 * anti-flapping) and {@code <app>.failover.error} (a failover failed half-way: no automatic failover until an
 * operator has looked and removed it).
 */
public record FailoverFlags(Path complete, Path error) {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("mha");


    public static FailoverFlags of(Path workdir, String app) {
        return new FailoverFlags(workdir.resolve(app + ".failover.complete"), workdir.resolve(app + ".failover.error"));
    }

    /** Empty when a failover may start now; otherwise why not. */
    public Optional<Refusal> refusal(Duration lastFailoverWindow, Instant now) {
        if (Files.exists(error)) {
            return Optional.of(new Refusal(Refusal.Code.LAST_FAILOVER_FAILED, "the last failover failed (" + error + " exists): check the manager log, repair the cluster,"
                    + " remove " + error + " (or start with --ignore_last_failover) and restart"));
        }
        if (Files.exists(complete)) {
            Instant last = mtime(complete);
            if (last.plus(lastFailoverWindow).isAfter(now)) {
                return Optional.of(new Refusal(Refusal.Code.LAST_FAILOVER_TOO_RECENT, "last failover was done at " + last + "; current time is too early to do failover again"
                        + " (--last_failover_minute=" + lastFailoverWindow.toMinutes() + "). Start with --ignore_last_failover"
                        + " or remove " + complete + " to allow it"));
            }
        }
        return Optional.empty();
    }

    /** @return whether either flag was there */
    public boolean clear() {
        boolean c = delete(complete);
        return delete(error) | c;
    }

    public void markComplete() {
        touch(complete);
    }

    public void markError() {
        touch(error);
    }

    private static Instant mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Never fails the failover it marks (a full disk must not turn a done failover into a failed one): the problem is
     * logged with what it costs.
     */
    private static void touch(Path p) {
        try {
            Files.createDirectories(p.getParent());
            if (!Files.exists(p)) Files.createFile(p);
            Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
        } catch (IOException e) {
            log.error("Cannot write {} ({}): without it a later failover is not held back as MHA's rule says (last_failover_minute,"
                    + " or an error to be looked at first). Free the disk of manager_workdir.", p, org.mha4j.workdir.Workdir.reason(e));
        }
    }

    private static boolean delete(Path p) {
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            log.error("Cannot remove {} ({}).", p, org.mha4j.workdir.Workdir.reason(e));
            return false;
        }
    }
}
