package org.mha4j.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A raw binary log being written: the magic number, the Format_description events that tell a reader how to parse
 * what follows, then whole events copied byte for byte from other files. It is written beside its target and renamed
 * into place when complete, so a reader never sees half a file.
 */
final class RawBinlogOutput implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final FileChannel out;
    private long events;
    private boolean done;

    RawBinlogOutput(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        this.tmp = Files.createTempFile(dir, "." + this.target.getFileName(), ".part");
        this.out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        out.write(java.nio.ByteBuffer.wrap(BinlogFile.MAGIC));
    }

    /** Copies {@code [from, to)} of {@code file}: whole events, as the caller's scan established. */
    void copy(Path file, long from, long to) throws IOException {
        if (to <= from) return;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            while (done < to - from) done += in.transferTo(from + done, to - from - done, out);
        }
    }

    void copy(Path file, BinlogEvent e) throws IOException {
        copy(file, e.offset(), e.end());
    }

    /** Back to the magic number alone: a start found earlier turned out not to be the start. */
    void restart() throws IOException {
        out.truncate(BinlogFile.MAGIC.length);
        out.position(BinlogFile.MAGIC.length);
        events = 0;
    }

    void countEvent() {
        events++;
    }

    /** Events counted with {@link #countEvent()}: the ones that carry data, not headers. */
    long events() {
        return events;
    }

    long bytes() throws IOException {
        return out.size();
    }

    Path commit() throws IOException {
        out.force(true);
        out.close();
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        done = true;
        return target;
    }

    @Override
    public void close() throws IOException {
        if (!done) {
            out.close();
            Files.deleteIfExists(tmp);
        }
    }

    /** Events that only describe the log itself; a file holding nothing else holds no transaction. */
    static boolean isHeaderEvent(BinlogEvent e) {
        return switch (e.type()) {
            case BinlogEvent.FORMAT_DESCRIPTION, BinlogEvent.ROTATE, BinlogEvent.STOP, BinlogEvent.PREVIOUS_GTIDS,
                 BinlogEvent.GTID_LIST, BinlogEvent.BINLOG_CHECKPOINT -> true;
            default -> false;
        };
    }
}
