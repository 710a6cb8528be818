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
        return new Walk(relayLogs, ownServerId, target, null).run(endFile);
    }

    /**
     * One pass over the relay logs that tracks the master's coordinates and, once the target is found, copies what
     * follows to {@code out} (if any): relay logs can be gigabytes, and a failover waits for this.
     */
    private static final class Walk {
        private final List<Path> relayLogs;
        private final long ownServerId;
        private final BinlogPosition target;
        private final RawBinlogOutput out;
        private final List<String> warnings = new ArrayList<>();
        // A relay log begun by FLUSH RELAY LOGS (or left after a purge) has no Rotate from the master: its events'
        // file is only known from the next Rotate (a real one ends the previous file) or, with none, from endFile.
        private String masterFile;
        private long masterPos = -1;
        private Start start;
        private Start pending;  // a match on position alone, before the file is known: copied from, but not yet sure
        private EventCopier copier;

        Walk(List<Path> relayLogs, long ownServerId, BinlogPosition target, RawBinlogOutput out) {
            this.relayLogs = relayLogs;
            this.ownServerId = ownServerId;
            this.target = target;
            this.out = out;
        }

        Found run(Optional<String> endFile) throws IOException, BinlogCorruption {
            for (int i = 0; i < relayLogs.size(); i++) {
                Path f = relayLogs.get(i);
                List<BinlogEvent> formats = new ArrayList<>();
                if (copier != null) copier = new EventCopier(out, f);
                try (BinlogFile in = BinlogFile.open(f)) {
                    for (Optional<BinlogEvent> o = in.next(); o.isPresent(); o = in.next()) {
                        BinlogEvent e = o.get();
                        if (e.isFormatDescription()) formats.add(e);
                        else if (copier != null) copier.take(e);
                        if (e.serverId() != ownServerId) track(e, i, f, formats);
                    }
                    in.truncation().ifPresent(t -> warnings.add(f + ": " + t.describe() + " at offset " + t.offset() + "; cut there"));
                }
                if (copier != null) copier.flush();
            }
            if (masterFile == null && endFile.isPresent()) {
                masterFile = endFile.get();
                resolvePending();
            }
            if (start == null && pending != null) abandonCopy();
            Optional<BinlogPosition> end = masterFile == null ? Optional.empty() : Optional.of(new BinlogPosition(masterFile, masterPos));
            return new Found(Optional.ofNullable(start), end, List.copyOf(warnings));
        }

        private void track(BinlogEvent e, int i, Path f, List<BinlogEvent> formats) throws IOException {
            if (e.isRotate()) {
                boolean real = !e.artificial() && e.logPos() > 0;
                if (masterFile == null) {
                    masterFile = real ? predecessor(e.rotateFile()) : e.rotateFile();
                    resolvePending();
                }
                // a master's real Rotate ends its file: a replica may stand just after it in the old file's terms
                if (start == null && real && new BinlogPosition(masterFile, e.logPos()).equals(target)) found(i, e, f, formats, true);
                masterFile = e.rotateFile();
                masterPos = e.rotatePosition();
            } else if (e.logPos() > 0) {
                masterPos = e.logPos();
            } else {
                return;
            }
            if (start == null && pending == null && masterPos == target.position()) {
                if (masterFile == null) found(i, e, f, formats, false);
                else if (masterFile.equals(target.file())) found(i, e, f, formats, true);
            }
        }

        /** The difference starts after {@code e}: the Format_description events in force go in front, then copying. */
        private void found(int i, BinlogEvent e, Path f, List<BinlogEvent> formats, boolean sure) throws IOException {
            Start s = new Start(i, e.end(), List.copyOf(formats));
            if (sure) start = s;
            else pending = s;
            if (out == null) return;
            out.restart();
            for (BinlogEvent fde : formats) out.copy(f, fde);
            copier = new EventCopier(out, f);
        }

        /** The file of the events before the first Rotate is known now: a match among them is confirmed or dropped. */
        private void resolvePending() throws IOException {
            if (pending == null) return;
            if (target.file().equals(masterFile)) start = pending;
            else abandonCopy();
            pending = null;
        }

        private void abandonCopy() throws IOException {
            pending = null;
            if (copier == null) return;
            copier = null;
            out.restart();
        }
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
        try (RawBinlogOutput out = new RawBinlogOutput(output)) {
            Found found = new Walk(relayLogs, ownServerId, target, out).run(Optional.of(latest.file()));
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
            long bytes = out.bytes();
            long events = out.events();
            return new Result(out.commit(), events, bytes, latest, found.warnings());
        }
    }
}
