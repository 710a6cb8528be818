package org.mha4j.topology;

/**
 * A replica's replication filters as {@code SHOW SLAVE STATUS} lists them. After a failover every replica
 * applies the new master's binary log through its own filters, so differing filters mean differing data.
 */
public record ReplicationFilters(String doDb, String ignoreDb, String doTable, String ignoreTable,
                                 String wildDoTable, String wildIgnoreTable) {

    public static final ReplicationFilters NONE = new ReplicationFilters("", "", "", "", "", "");

    public ReplicationFilters {
        doDb = nz(doDb);
        ignoreDb = nz(ignoreDb);
        doTable = nz(doTable);
        ignoreTable = nz(ignoreTable);
        wildDoTable = nz(wildDoTable);
        wildIgnoreTable = nz(wildIgnoreTable);
    }

    /** Each filter is a set of comma-separated rules: in a fixed order, two servers listing them differently compare equal. */
    private static String nz(String s) {
        if (s == null || s.isBlank()) return "";
        return java.util.Arrays.stream(s.split(",")).map(String::strip).filter(r -> !r.isEmpty()).sorted()
                .collect(java.util.stream.Collectors.joining(","));
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    public String describe() {
        if (isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        append(sb, "Replicate_Do_DB", doDb);
        append(sb, "Replicate_Ignore_DB", ignoreDb);
        append(sb, "Replicate_Do_Table", doTable);
        append(sb, "Replicate_Ignore_Table", ignoreTable);
        append(sb, "Replicate_Wild_Do_Table", wildDoTable);
        append(sb, "Replicate_Wild_Ignore_Table", wildIgnoreTable);
        return sb.toString();
    }

    static void append(StringBuilder sb, String name, String value) {
        if (value.isEmpty()) return;
        if (!sb.isEmpty()) sb.append(", ");
        sb.append(name).append('=').append(value);
    }
}
