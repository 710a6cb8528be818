package org.mha4j.node;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Copies runs of consecutive data events from one file in as few transfers as possible. Events that only describe
 * the log (Rotate, Gtid_list, Binlog_checkpoint, Previous_gtids, Stop) are left out: in a file made of pieces of
 * several logs they would be wrong, and mariadb-binlog checks a Gtid_list against the GTIDs before it.
 */
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
        if (RawBinlogOutput.isHeaderEvent(e)) {
            flush();
            return;
        }
        if (from >= 0 && e.offset() != to) flush();
        if (from < 0) from = e.offset();
        to = e.end();
        out.countEvent();
    }

    void flush() throws IOException {
        if (from >= 0) out.copy(file, from, to);
        from = -1;
        to = -1;
    }
}
