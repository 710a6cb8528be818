package org.mha4j.topology;

/** {@code Binlog_Do_DB} / {@code Binlog_Ignore_DB} of {@code SHOW MASTER STATUS}: what a server leaves out of its binary log. */
public record BinlogFilters(String doDb, String ignoreDb) {

    public static final BinlogFilters NONE = new BinlogFilters("", "");

    public BinlogFilters {
        doDb = doDb == null ? "" : doDb;
        ignoreDb = ignoreDb == null ? "" : ignoreDb;
    }

    public String describe() {
        if (equals(NONE)) return "none";
        StringBuilder sb = new StringBuilder();
        ReplicationFilters.append(sb, "Binlog_Do_DB", doDb);
        ReplicationFilters.append(sb, "Binlog_Ignore_DB", ignoreDb);
        return sb.toString();
    }
}
