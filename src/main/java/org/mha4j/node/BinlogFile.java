package org.mha4j.node;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Reads a binary or relay log event by event, checking what a crash or a bad disk can break: the magic number, each
 * header's size, each event's CRC32 (when its Format_description event says the server writes one), and whether the
 * file ends inside an event, which is what a master killed while writing leaves behind.
 */
public final class BinlogFile implements AutoCloseable {
    static final byte[] MAGIC = {(byte) 0xfe, 'b', 'i', 'n'};
    /** The server refuses events larger than max_allowed_packet, which is at most 1 GiB. */
    private static final long MAX_EVENT = 1L << 30;

    /** The file ends {@code have} bytes into an event that declares {@code declared} bytes (or into its header). */
    public record Truncation(long offset, long have, long declared) {
        public String describe() {
            return declared < 0 ? "the file ends " + have + " bytes into an event header"
                    : "the last event is cut: " + have + " of its " + declared + " bytes are on disk";
        }
    }

    private final Path path;
    private final InputStream in;
    private final long size;
    private long pos;
    private boolean crc;
    private long fdeServerId = -1;
    private Truncation truncation;

    private BinlogFile(Path path, InputStream in, long size) {
        this.path = path;
        this.in = in;
        this.size = size;
    }

    public static BinlogFile open(Path path) throws IOException, BinlogCorruption {
        long size = Files.size(path);
        BinlogFile f = new BinlogFile(path, new BufferedInputStream(Files.newInputStream(path), 1 << 20), size);
        byte[] magic = f.in.readNBytes(4);
        if (!Arrays.equals(magic, MAGIC)) {
            f.close();
            throw new BinlogCorruption(path, 0, "not a binary log (no magic number 0xfe 'bin'), or empty");
        }
        f.pos = 4;
        return f;
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    /** @return the next whole event, or empty at the end of the file (see {@link #truncation()} for a cut one) */
    public Optional<BinlogEvent> next() throws IOException, BinlogCorruption {
        if (truncation != null) return Optional.empty();
        long offset = pos;
        byte[] header = in.readNBytes(BinlogEvent.HEADER);
        if (header.length == 0) return Optional.empty();
        if (header.length < BinlogEvent.HEADER) {
            truncation = new Truncation(offset, header.length, -1);
            return Optional.empty();
        }
        long eventSize = LittleEndian.u32(header, 9);
        if (eventSize < BinlogEvent.HEADER || eventSize > MAX_EVENT) {
            throw new BinlogCorruption(path, offset, "impossible event size " + eventSize + " (a damaged header)");
        }
        byte[] body = in.readNBytes((int) eventSize - BinlogEvent.HEADER);
        if (body.length < eventSize - BinlogEvent.HEADER) {
            truncation = new Truncation(offset, BinlogEvent.HEADER + body.length, eventSize);
            return Optional.empty();
        }
        pos += eventSize;
        int type = header[4] & 0xFF;
        long serverId = LittleEndian.u32(header, 5);
        int flags = LittleEndian.u16(header, 17);
        boolean checksummed;
        if (type == BinlogEvent.FORMAT_DESCRIPTION) {
            // A Format_description event says whether the events after it carry a CRC32; it is itself checksummed with
            // the "binlog in use" flag cleared, because the server clears that flag in place when it closes the file.
            byte[] copy = header.clone();
            copy[17] &= (byte) ~0x01;
            checksummed = eventSize >= BinlogEvent.HEADER + 5 && crcMatches(copy, body);
            crc = checksummed;
            fdeServerId = serverId;
        } else {
            checksummed = crc;
            // In a relay log, events that came from another server may use its checksum setting, which this file does
            // not record; only events of the server whose Format_description event is in force are held to it.
            if (checksummed && !crcMatches(header, body)) {
                if (serverId == fdeServerId) {
                    throw new BinlogCorruption(path, offset, "checksum mismatch in a " + BinlogEvent.typeName(type) + " event of "
                            + eventSize + " bytes (the file is damaged)");
                }
                checksummed = false;
            }
        }
        boolean keepBody = type == BinlogEvent.ROTATE || type == BinlogEvent.FORMAT_DESCRIPTION;
        return Optional.of(new BinlogEvent(offset, type, serverId, eventSize, LittleEndian.u32(header, 13), flags,
                keepBody ? body : null, checksummed));
    }

    private static boolean crcMatches(byte[] header, byte[] body) {
        if (body.length < 4) return false;
        CRC32 c = new CRC32();
        c.update(header);
        c.update(body, 0, body.length - 4);
        return c.getValue() == LittleEndian.u32(body, body.length - 4);
    }

    /** Set once {@link #next()} met the end of the file inside an event. */
    public Optional<Truncation> truncation() {
        return Optional.ofNullable(truncation);
    }

    /** Every whole event of a file, and how it ends; for files known to be small (tests, relay-log headers). */
    public static List<BinlogEvent> readAll(Path path) throws IOException, BinlogCorruption {
        try (BinlogFile f = open(path)) {
            List<BinlogEvent> out = new ArrayList<>();
            for (Optional<BinlogEvent> e = f.next(); e.isPresent(); e = f.next()) out.add(e.get());
            return out;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
