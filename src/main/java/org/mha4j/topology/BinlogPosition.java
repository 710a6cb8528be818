package org.mha4j.topology;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in a master's binary log: file and byte offset, as {@code Master_Log_File}/{@code Read_Master_Log_Pos}
 * report it. Ordered by the file's number, then the offset: {@code binlog.1000000} comes after {@code binlog.999999},
 * where MHA's string comparison would get it wrong.
 */
public record BinlogPosition(String file, long position) implements Comparable<BinlogPosition> {
    private static final Pattern NUMBERED = Pattern.compile("(.*)\\.(\\d+)");

    @Override
    public int compareTo(BinlogPosition o) {
        Matcher a = NUMBERED.matcher(file);
        Matcher b = NUMBERED.matcher(o.file);
        int byFile;
        if (a.matches() && b.matches() && a.group(1).equals(b.group(1))) {
            byFile = Long.compare(Long.parseLong(a.group(2)), Long.parseLong(b.group(2)));
        } else {
            byFile = file.compareTo(o.file);
        }
        return byFile != 0 ? byFile : Long.compare(position, o.position);
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
