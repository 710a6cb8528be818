package org.mha4j.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <manager_workdir>/<app>.master_status.health}, in MHA's format ({@code pid<TAB>code:NAME<TAB>master:<host>},
 * for example {@code 4242<TAB>0:PING_OK<TAB>master:db1}), so MHA's masterha_check_status and the monitoring checks
 * built on that file read it. Files without the code (written by MHA4J before it followed that format) are read too.
 * Its mtime is touched on every good ping.
 */
public final class StatusFile {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private final Path file;

    /** What this manager last wrote (status name, master), to write again if the file disappears. */
    private volatile String[] written;
    private volatile java.util.function.BooleanSupplier standby = () -> false;

    public StatusFile(Path workdir, String app) {
        this.file = workdir.resolve(app + ".master_status.health");
    }

    /** The status file of an application, in its first server's manager_workdir (as MHA reads it). */
    public static StatusFile of(org.mha4j.config.AppConfig app) {
        return new StatusFile(Path.of(app.first().managerWorkdir()), app.appName());
    }

    /** The content, only if the manager that wrote it still runs. */
    public Optional<Content> ofRunningManager() {
        return read().filter(c -> ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    public Path path() {
        return file;
    }

    public record Content(long pid, ManagerStatus status, String master, Instant modified) {}

    /**
     * A manager that does not lead its application (ZooKeeper coordination) writes STANDBY where the leader writes
     * PING_OK: its monitor is the same, only the failover is not its own.
     */
    public void standbyWhen(java.util.function.BooleanSupplier notLeading) {
        this.standby = notLeading;
    }

    /** Writes the last state again: leadership changed, and PING_OK / STANDBY with it. */
    public synchronized void refresh() {
        String[] last = written;
        if (last != null) write(ManagerStatus.valueOf(last[0]), last[1]);
    }

    /** Never fails the caller: a full disk must not stop monitoring or a failover; the problem is logged instead. */
    public synchronized void write(ManagerStatus given, String master) {
        written = new String[]{given.name(), master};
        ManagerStatus status = given == ManagerStatus.PING_OK && standby.getAsBoolean() ? ManagerStatus.STANDBY : given;
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, ProcessHandle.current().pid() + "\t" + status.code + ":" + status.name() + "\tmaster:" + master);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.error("cannot write the status file {} ({}: {}); masterha_check_status cannot see this state: {}", file,
                    e.getClass().getSimpleName(), e.getMessage(), status);
        }
    }

    /**
     * A good ping: the file's time moves on. A file someone removed meanwhile (MHA's own manager refused beside this one
     * deletes it on its way out, so does an operator) is written again with what this manager last wrote, so that
     * masterha_check_status and masterha_stop keep finding it.
     */
    public void touch() {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (NoSuchFileException gone) {
            refresh();
        } catch (IOException e) {
            log.warn("cannot touch the status file {}: {}", file, e.getMessage());
        }
    }

    public Optional<Content> read() {
        try {
            String[] f = Files.readString(file).strip().split("\t");
            String master = f.length > 2 && f[2].startsWith("master:") ? f[2].substring(7) : "";
            String name = f[1].substring(f[1].indexOf(':') + 1);
            return Optional.of(new Content(Long.parseLong(f[0]), ManagerStatus.valueOf(name), master,
                    Files.getLastModifiedTime(file).toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable status file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the file, unless another process that still runs wrote it (a manager started meanwhile: its file is its
     * own). Never fails the caller.
     */
    public void delete() {
        try {
            Optional<Content> c = read();
            if (c.isPresent() && c.get().pid() != ProcessHandle.current().pid() && ProcessHandle.of(c.get().pid()).map(ProcessHandle::isAlive).orElse(false)) {
                return;
            }
            Files.deleteIfExists(file);
        } catch (IOException | IllegalStateException e) {
            log.warn("cannot remove the status file {}: {}", file, e.getMessage());
        }
    }
}
