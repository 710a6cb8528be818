package org.mha4j.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** Builds binary and relay logs byte by byte in the v4 format, with CRC32 checksums, for tests of the readers. */
final class SyntheticBinlog {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Long> ends = new ArrayList<>();
    private boolean crc = true;

    SyntheticBinlog() {
        out.writeBytes(BinlogFile.MAGIC);
    }

    SyntheticBinlog withoutChecksums() {
        crc = false;
        return this;
    }

    /** @param logPos 0: the event's own end (as in a binlog) is written; pass a value for relay-log events */
    SyntheticBinlog event(int type, long serverId, long logPos, byte[] body) {
        long size = BinlogEvent.HEADER + body.length + (crc ? 4 : 0);
        long end = out.size() + size;
        byte[] h = new byte[BinlogEvent.HEADER];
        LittleEndian.put32(h, 0, 1_700_000_000L);
        h[4] = (byte) type;
        LittleEndian.put32(h, 5, serverId);
        LittleEndian.put32(h, 9, size);
        LittleEndian.put32(h, 13, logPos < 0 ? end : logPos);
        out.writeBytes(h);
        out.writeBytes(body);
        if (crc) {
            CRC32 c = new CRC32();
            c.update(h);
            c.update(body);
            byte[] sum = new byte[4];
            LittleEndian.put32(sum, 0, c.getValue());
            out.writeBytes(sum);
        }
        ends.add(end);
        return this;
    }

    SyntheticBinlog fde(long serverId, long logPos) {
        byte[] body = new byte[2 + 50 + 4 + 1 + 10 + 1];
        body[0] = 4;
        byte[] v = "10.11.19-MariaDB-log".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, body, 2, v.length);
        body[56] = BinlogEvent.HEADER;
        body[body.length - 1] = (byte) (crc ? 1 : 0);
        return event(BinlogEvent.FORMAT_DESCRIPTION, serverId, logPos, body);
    }

    SyntheticBinlog rotate(long serverId, long logPos, String file, long position) {
        byte[] name = file.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[8 + name.length];
        LittleEndian.put32(body, 0, position);
        System.arraycopy(name, 0, body, 8, name.length);
        return event(BinlogEvent.ROTATE, serverId, logPos, body);
    }

    /** A data event (a Query) whose body is {@code size} bytes of {@code fill}. */
    SyntheticBinlog data(long serverId, long logPos, int size, int fill) {
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) fill);
        return event(BinlogEvent.QUERY, serverId, logPos, body);
    }

    /** The end offset of every event written, in order. */
    List<Long> ends() {
        return List.copyOf(ends);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes());
    }
}
