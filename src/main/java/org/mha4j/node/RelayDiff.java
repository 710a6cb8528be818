package org.mha4j.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mha4j.topology.BinlogPosition;

/**
 * Finds, in the most advanced replica's relay logs, where a lagging replica stands, and writes what follows as a raw
 * binlog: the events the lagging replica is missing. The master's coordinates are read from the relay log itself:
 * each Rotate event from the master names its binlog file, and each event's header carries its end position in it.
 */
public final class RelayDiff {
    /** Where the difference starts: a file of the series and the offset in it (between two events). */
    public record Start(int fileIndex, long offset, List<BinlogEvent> formatEvents) {}

    /** @param end the master position the relay logs end at */
    public record Found(Optional<Start> start, Optional<BinlogPosition> end, List<String> warnings) {}

    public record Result(Path output, long events, long bytes, BinlogPosition end, List<String> warnings) {}

    private RelayDiff() {}

    /**
     * @param ownServerId the server_id of the replica the relay logs belong to: its own Rotate and Format_description
     *                    events say nothing about the master's coordinates
     * @param endFile     the master binlog the relay logs end in ({@code Master_Log_File}), if known: it names the
     *                    file of events before any Rotate from the master when there is none at all
     */
    public static Found find(List<Path> relayLogs, long ownServerId, BinlogPosition target, Optional<String> endFile)
            throws IOException, BinlogCorruption {
        // A relay log begun by FLUSH RELAY LOGS (or left after a purge) has no Rotate from the master: its events'
        // file is only known from the next Rotate (a real one ends the previous file) or, with none, from endFile.
        String masterFile = null;
        long masterPos = -1;
        Start start = null;
        Start pending = null;  // a match on position alone, before the file is known
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < relayLogs.size(); i++) {
            Path f = relayLogs.get(i);
            List<BinlogEvent> formats = new ArrayList<>();
            try (BinlogFile in = BinlogFile.open(f)) {
                for (Optional<BinlogEvent> o = in.next(); o.isPresent(); o = in.next()) {
                    BinlogEvent e = o.get();
                    if (e.isFormatDescription()) formats.add(e);
                    if (e.serverId() == ownServerId) continue;
                    if (e.isRotate()) {
                        boolean real = !e.artificial() && e.logPos() > 0;
                        if (masterFile == null) {
                            String before = real ? predecessor(e.rotateFile()) : e.rotateFile();
                            if (pending != null && target.file().equals(before)) start = pending;
                            masterFile = before;
                        }
                        // a master's real Rotate ends its file: a replica may stand just after it in the old file's terms
                        if (start == null && real && new BinlogPosition(masterFile, e.logPos()).equals(target)) {
                            start = new Start(i, e.end(), List.copyOf(formats));
                        }
                        masterFile = e.rotateFile();
                        masterPos = e.rotatePosition();
                    } else if (e.logPos() > 0) {
                        masterPos = e.logPos();
                    } else {
                        continue;
                    }
                    if (start == null && masterPos == target.position()) {
                        if (masterFile == null) {
                            if (pending == null) pending = new Start(i, e.end(), List.copyOf(formats));
                        } else if (masterFile.equals(target.file())) {
                            start = new Start(i, e.end(), List.copyOf(formats));
                        }
                    }
                }
                in.truncation().ifPresent(t -> warnings.add(f + ": " + t.describe() + " at offset " + t.offset() + "; cut there"));
            }
        }
        if (masterFile == null && endFile.isPresent()) {
            masterFile = endFile.get();
            if (pending != null && target.file().equals(masterFile)) start = pending;
        }
        Optional<BinlogPosition> end = masterFile == null ? Optional.empty() : Optional.of(new BinlogPosition(masterFile, masterPos));
        return new Found(Optional.ofNullable(start), end, List.copyOf(warnings));
    }

    /** binlog.000013 → binlog.000012: the file a master's real Rotate to {@code name} ended (numbers are %06d). */
    static String predecessor(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*\\.)(\\d+)").matcher(name);
        if (!m.matches() || Long.parseLong(m.group(2)) <= 1) return null;
        return m.group(1) + String.format("%06d", Long.parseLong(m.group(2)) - 1);
    }

    /**
     * Writes the events after {@code target} to {@code output}.
     *
     * @param latest what the owner of the relay logs reported it received; the relay logs must end there, or they are
     *               not the ones the server wrote (wrong directory, a copy) and nothing is written
     */
    public static Result generate(List<Path> relayLogs, long ownServerId, BinlogPosition target, BinlogPosition latest, Path output)
            throws IOException, BinlogCorruption, NodeException {
        if (relayLogs.isEmpty()) throw new NodeException("no relay log found");
        Found found = find(relayLogs, ownServerId, target, Optional.of(latest.file()));
        if (found.end().isEmpty() || !found.end().get().equals(latest)) {
            throw new NodeException("the relay logs " + relayLogs.getFirst().getFileName() + " to " + relayLogs.getLast().getFileName()
                    + " end at master position " + found.end().map(Object::toString).orElse("(unknown: no Rotate event from the master)")
                    + ", but the replica reported " + latest + " received: refusing to build a difference from them");
        }
        if (found.start().isEmpty()) {
            throw new RelayPositionNotFound("master position " + target + " is not in the relay logs " + relayLogs.getFirst().getFileName()
                    + " to " + relayLogs.getLast().getFileName() + " (they were purged past it, or it is not an event boundary):"
                    + " keep relay_log_purge=0 and purge with purge_relay_logs");
        }
        Start s = found.start().get();
        try (RawBinlogOutput out = new RawBinlogOutput(output)) {
            for (BinlogEvent fde : s.formatEvents()) out.copy(relayLogs.get(s.fileIndex()), fde);
            for (int i = s.fileIndex(); i < relayLogs.size(); i++) {
                Path f = relayLogs.get(i);
                EventCopier copier = new EventCopier(out, f);
                try (BinlogFile in = BinlogFile.open(f)) {
                    for (Optional<BinlogEvent> o = in.next(); o.isPresent(); o = in.next()) {
                        BinlogEvent e = o.get();
                        if (i == s.fileIndex() && e.offset() < s.offset()) continue;
                        if (e.isFormatDescription()) continue;
                        copier.take(e);
                    }
                }
                copier.flush();
            }
            long bytes = out.bytes();
            long events = out.events();
            return new Result(out.commit(), events, bytes, latest, found.warnings());
        }
    }
}
