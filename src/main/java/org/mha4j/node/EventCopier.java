package org.mha4j.node;

import java.io.IOException;
import java.nio.file.Path;

/** Copies runs of consecutive events from one file in as few transfers as possible. */
final class EventCopier {
    private final RawBinlogOutput out;
    private final Path file;
    private long from = -1;
    private long to = -1;

    EventCopier(RawBinlogOutput out, Path file) {
        this.out = out;
        this.file = file;
    }

    void take(BinlogEvent e) throws IOException {
        if (from >= 0 && e.offset() != to) flush();
        if (from < 0) from = e.offset();
        to = e.end();
        if (!RawBinlogOutput.isHeaderEvent(e)) out.countEvent();
    }

    void flush() throws IOException {
        if (from >= 0) out.copy(file, from, to);
        from = -1;
        to = -1;
    }
}
