package org.mha4j.workdir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A lock file in manager_workdir, held by this process: free again when the process ends, however it ends (the
 * operating system releases it). It holds the holder's pid, so that whoever is refused can be told who holds it.
 */
public final class WorkdirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private WorkdirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes {@code <dir>/<name>} if nobody holds it; empty when another process (or this one) does.
     *
     * @throws IOException the directory or the file cannot be created or opened
     */
    public static Optional<WorkdirLock> tryTake(Path dir, String name) throws IOException {
        Workdir.create(dir);
        Path path = dir.resolve(name);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            // a full disk: the lock holds without the pid in it
        }
        return Optional.of(new WorkdirLock(ch, lock));
    }

    /** The pid the holder of {@code <dir>/<name>} wrote, when it could be read. */
    public static Optional<Long> holder(Path dir, String name) {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve(name)).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // released with the process anyway
        }
    }
}
