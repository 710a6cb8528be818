package org.mha4j.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code apply_diff_relay_logs --command=apply} does: the difference files (relay-log diffs, then the dead master's
 * saved binlog) merged into one raw binlog, with one Format_description event in front, and applied as one stream.
 */
public final class DiffApplier {
    private DiffApplier() {}

    /** @return the merged file and how many data events it holds */
    public static Merged merge(List<Path> files, Path output) throws IOException, BinlogCorruption, NodeException {
        if (files.isEmpty()) throw new NodeException("--apply_files names no file");
        try (RawBinlogOutput out = new RawBinlogOutput(output)) {
            boolean first = true;
            for (Path f : files) {
                EventCopier copier = new EventCopier(out, f);
                boolean sawFormat = false;
                try (BinlogFile in = BinlogFile.open(f)) {
                    for (Optional<BinlogEvent> o = in.next(); o.isPresent(); o = in.next()) {
                        BinlogEvent e = o.get();
                        if (e.isFormatDescription()) {
                            sawFormat = true;
                            if (first) out.copy(f, e);
                            continue;
                        }
                        copier.take(e);
                    }
                    if (in.truncation().isPresent()) {
                        throw new BinlogCorruption(f, in.truncation().get().offset(), in.truncation().get().describe()
                                + " (it was damaged in transfer: save or generate it again)");
                    }
                }
                copier.flush();
                if (!sawFormat) throw new BinlogCorruption(f, 4, "no Format_description event: not a file save_binary_logs or"
                        + " apply_diff_relay_logs wrote");
                first = false;
            }
            long events = out.events();
            return new Merged(out.commit(), events);
        }
    }

    public record Merged(Path file, long events) {}
}
