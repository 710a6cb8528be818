package org.mha4j.node;

import java.nio.charset.StandardCharsets;

/**
 * One event of a binary or relay log, as its v4 header describes it.
 *
 * @param offset      where the event starts in its file
 * @param logPos      the header's {@code log_pos}: in a binlog the end of this event; in a relay log the end of the
 *                    event in the <em>master's</em> binlog (0 for events the replica made itself)
 * @param body        the event's bytes without the header, kept only for Rotate and Format_description events
 * @param checksummed whether the last 4 bytes are a CRC32 (from the Format_description event in force)
 */
public record BinlogEvent(long offset, int type, long serverId, long size, long logPos, int flags, byte[] body, boolean checksummed) {
    public static final int HEADER = 19;
    public static final int QUERY = 2;
    public static final int STOP = 3;
    public static final int ROTATE = 4;
    public static final int FORMAT_DESCRIPTION = 15;
    public static final int XID = 16;
    /** MySQL 5.6+ */
    public static final int PREVIOUS_GTIDS = 35;
    /** MariaDB 10.0+ */
    public static final int GTID_LIST = 163;
    public static final int BINLOG_CHECKPOINT = 161;
    /** Made up by the master when a replica connects (its fake Rotate), never written to its own binlog. */
    public static final int FLAG_ARTIFICIAL = 0x20;

    public long end() {
        return offset + size;
    }

    public boolean isFormatDescription() {
        return type == FORMAT_DESCRIPTION;
    }

    public boolean isRotate() {
        return type == ROTATE;
    }

    public boolean artificial() {
        return (flags & FLAG_ARTIFICIAL) != 0;
    }

    /** Rotate: the file the next events come from. */
    public String rotateFile() {
        requireRotate();
        int end = body.length - (checksummed ? 4 : 0);
        return new String(body, 8, end - 8, StandardCharsets.UTF_8);
    }

    /** Rotate: the position in {@link #rotateFile()} the next event starts at. */
    public long rotatePosition() {
        requireRotate();
        return LittleEndian.u64(body, 0);
    }

    private void requireRotate() {
        if (!isRotate() || body == null) throw new IllegalStateException("not a Rotate event");
    }

    public String typeName() {
        return typeName(type);
    }

    static String typeName(int type) {
        return switch (type) {
            case QUERY -> "Query";
            case STOP -> "Stop";
            case ROTATE -> "Rotate";
            case FORMAT_DESCRIPTION -> "Format_desc";
            case XID -> "Xid";
            case 33 -> "Gtid";
            case PREVIOUS_GTIDS -> "Previous_gtids";
            case 162 -> "Gtid(MariaDB)";
            case GTID_LIST -> "Gtid_list";
            case BINLOG_CHECKPOINT -> "Binlog_checkpoint";
            default -> "type " + type;
        };
    }
}
