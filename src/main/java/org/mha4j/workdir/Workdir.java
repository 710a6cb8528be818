package org.mha4j.workdir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * manager_workdir: where the manager keeps its status file, locks, failover records and the log pieces a failover
 * reads from the servers (row data). A directory the manager creates is private to its user (0700), and the pieces it
 * writes are 0600; a full file system there must not stop a failover, so the pieces then go to a private directory
 * under the system's temporary directory.
 */
public final class Workdir {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** Less free space than this and a failover writes its log pieces elsewhere: a binlog tail is rarely larger. */
    static final long MIN_FREE_BYTES = 64L << 20;

    private Workdir() {}

    /** Creates {@code dir} (and its missing parents) private to this user; an existing directory is left as it is. */
    public static Path create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return dir;
        if (Files.exists(dir)) throw new FileSystemException(dir.toString(), null, "exists and is not a directory");
        return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Where a failover writes the log pieces it reads: {@code workdir}, unless its file system has less than 64 MB free
     * (or cannot be written at all); then a private directory under java.io.tmpdir, said in the log.
     */
    public static Path forLogPieces(Path workdir, String app) {
        try {
            create(workdir);
            if (Files.getFileStore(workdir).getUsableSpace() >= MIN_FREE_BYTES) return workdir;
            log.error("manager_workdir {} has less than {} MB free: the failover writes the logs it reads elsewhere.", workdir,
                    MIN_FREE_BYTES >> 20);
        } catch (IOException e) {
            log.error("manager_workdir {} cannot be used ({}): the failover writes the logs it reads elsewhere.", workdir, reason(e));
        }
        try {
            Path alt = Files.createTempDirectory("mha4j-" + app + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            log.warn("The log pieces of this failover go to {}.", alt);
            return alt;
        } catch (IOException e) {
            log.error("No private directory under {} either ({}); trying manager_workdir anyway.", System.getProperty("java.io.tmpdir"),
                    reason(e));
            return workdir;
        }
    }

    /** The operating system's reason ("No space left on device", "Permission denied"), else the exception. */
    public static String reason(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
    }
}
