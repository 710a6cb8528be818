package org.mha4j.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code save_binary_logs} does: the events of a binary (or relay) log from a file and position to the end of the
 * last file of its series, as one raw binlog with the Format_description event in front, so it can be applied with
 * {@code mariadb-binlog | mariadb} anywhere. A file that ends inside an event is cut before it, with a warning.
 */
public final class BinlogTail {
    /**
     * @param events  the data-carrying events saved (0: nothing beyond the start position)
     * @param lastEnd where the last whole event of {@code lastFile} ends: how far the master's binlog was read
     */
    public record Result(Path output, long events, long bytes, String lastFile, long lastEnd, List<String> warnings) {}

    private BinlogTail() {}

    /** The first directory of {@code dirs} that holds {@code startFile}; MHA's message when none does. */
    public static Path locate(List<Path> dirs, String startFile) throws NodeException {
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve(startFile))) return d;
        }
        throw new NodeException("Binlog not found from " + String.join(",", dirs.stream().map(Path::toString).toList())
                + "! If you got this error at MHA Manager, please set \"master_binlog_dir=/path/to/binlog_directory_of_the_master\""
                + " correctly in the MHA Manager's configuration file and try again.");
    }

    public static Result save(Path dir, String startFile, long startPos, Path output) throws IOException, BinlogCorruption, NodeException {
        List<Path> files = BinlogSeries.from(dir, startFile);
        if (files.isEmpty()) throw new NodeException(dir.resolve(startFile) + " not found");
        if (startPos < 4) throw new NodeException("--start_pos must be at least 4 (the first event's offset), not " + startPos);
        List<String> warnings = new ArrayList<>();
        try (RawBinlogOutput out = new RawBinlogOutput(output)) {
            boolean first = true;
            boolean headerWritten = false;
            long end = startPos;
            for (Path f : files) {
                EventCopier copier = new EventCopier(out, f);
                long lastEnd = 4;
                try (BinlogFile in = BinlogFile.open(f)) {
                    for (Optional<BinlogEvent> o = in.next(); o.isPresent(); o = in.next()) {
                        BinlogEvent e = o.get();
                        lastEnd = e.end();
                        if (e.isFormatDescription()) {
                            // one Format_description event at the head of the output; a second one would make the
                            // reader end a transaction that continues in the next file
                            if (!headerWritten) {
                                out.copy(f, e);
                                headerWritten = true;
                            }
                            continue;
                        }
                        if (first && e.offset() < startPos) {
                            if (e.end() > startPos) {
                                throw new NodeException("--start_pos=" + startPos + " is inside an event of " + f + " (a " + e.typeName()
                                        + " event from " + e.offset() + " to " + e.end() + "): it must be the end of an event,"
                                        + " as Read_Master_Log_Pos or Exec_Master_Log_Pos is");
                            }
                            continue;
                        }
                        copier.take(e);
                    }
                    copier.flush();
                    if (first && lastEnd < startPos && in.truncation().isEmpty()) {
                        throw new NodeException("--start_pos=" + startPos + " is beyond the end of " + f + " (" + in.size() + " bytes)");
                    }
                    if (in.truncation().isPresent()) {
                        BinlogFile.Truncation t = in.truncation().get();
                        if (first && t.offset() < startPos) {
                            throw new NodeException("--start_pos=" + startPos + " is beyond the last whole event of " + f + " ("
                                    + t.describe() + " at offset " + t.offset() + ")");
                        }
                        warnings.add(f + ": " + t.describe() + " at offset " + t.offset() + "; cut there, the "
                                + (t.have()) + " bytes after it are not saved");
                    }
                }
                if (!headerWritten) throw new BinlogCorruption(f, 4, "no Format_description event at the start");
                end = lastEnd;
                first = false;
            }
            long bytes = out.bytes();
            long events = out.events();
            Path saved = out.commit();
            return new Result(saved, events, bytes, files.getLast().getFileName().toString(), end, List.copyOf(warnings));
        }
    }
}
