package org.mha4j.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MySQL's {@code gtid_executed} notation: {@code uuid:1-5:7,uuid2:1-3}, and since 8.3 tagged GTIDs
 * {@code uuid:1-5:tag:1-3}. Kept normalised (sorted, merged, inclusive ranges) so equal sets print equally.
 */
public final class MysqlGtidSet implements GtidSet {

    /** Key: lower-case uuid, or uuid + ":" + tag. */
    private final TreeMap<String, List<Range>> sources;

    public record Range(long from, long to) {
        public Range {
            if (from < 1 || to < from) {
                throw new IllegalArgumentException("invalid GTID range " + from + "-" + to);
            }
        }

        @Override
        public String toString() {
            return from == to ? Long.toString(from) : from + "-" + to;
        }
    }

    private MysqlGtidSet(TreeMap<String, List<Range>> sources) {
        this.sources = sources;
    }

    public static MysqlGtidSet empty() {
        return new MysqlGtidSet(new TreeMap<>());
    }

    public static MysqlGtidSet parse(String text) {
        TreeMap<String, List<Range>> map = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return new MysqlGtidSet(map);
        }
        for (String part : text.replaceAll("\\s", "").split(",")) {
            if (part.isEmpty()) continue;
            String[] tokens = part.split(":");
            String uuid = tokens[0].toLowerCase();
            if (tokens.length < 2 || !uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
                throw new IllegalArgumentException("invalid MySQL GTID set element '" + part + "'");
            }
            String key = uuid;
            for (int i = 1; i < tokens.length; i++) {
                String t = tokens[i];
                if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
                    map.computeIfAbsent(key, k -> new ArrayList<>()).add(parseRange(t, part));
                } else {
                    key = uuid + ":" + t.toLowerCase();
                }
            }
        }
        map.replaceAll((k, v) -> normalise(v));
        return new MysqlGtidSet(map);
    }

    private static Range parseRange(String token, String part) {
        try {
            int dash = token.indexOf('-');
            if (dash < 0) {
                long n = Long.parseLong(token);
                return new Range(n, n);
            }
            return new Range(Long.parseLong(token.substring(0, dash)), Long.parseLong(token.substring(dash + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid MySQL GTID set element '" + part + "'", e);
        }
    }

    private static List<Range> normalise(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a.from, b.from));
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (!out.isEmpty() && r.from <= out.getLast().to + 1) {
                Range last = out.removeLast();
                out.add(new Range(last.from, Math.max(last.to, r.to)));
            } else {
                out.add(r);
            }
        }
        return Collections.unmodifiableList(out);
    }

    public Map<String, List<Range>> sources() {
        return Collections.unmodifiableMap(sources);
    }

    @Override
    public boolean isEmpty() {
        return sources.values().stream().allMatch(List::isEmpty);
    }

    public MysqlGtidSet union(MysqlGtidSet other) {
        TreeMap<String, List<Range>> map = new TreeMap<>();
        for (var src : List.of(sources, other.sources)) {
            src.forEach((k, v) -> map.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        map.replaceAll((k, v) -> normalise(v));
        return new MysqlGtidSet(map);
    }

    @Override
    public MysqlGtidSet subtract(GtidSet other) {
        if (!(other instanceof MysqlGtidSet o)) {
            throw new IllegalArgumentException("cannot compare a MySQL GTID set with a MariaDB one");
        }
        TreeMap<String, List<Range>> map = new TreeMap<>();
        sources.forEach((key, mine) -> {
            List<Range> rest = subtract(mine, o.sources.getOrDefault(key, List.of()));
            if (!rest.isEmpty()) map.put(key, rest);
        });
        return new MysqlGtidSet(map);
    }

    private static List<Range> subtract(List<Range> mine, List<Range> theirs) {
        List<Range> out = new ArrayList<>();
        for (Range r : mine) {
            long from = r.from;
            for (Range t : theirs) {
                if (t.to < from || t.from > r.to) continue;
                if (t.from > from) out.add(new Range(from, t.from - 1));
                from = Math.max(from, t.to + 1);
                if (from > r.to) break;
            }
            if (from <= r.to) out.add(new Range(from, r.to));
        }
        return Collections.unmodifiableList(out);
    }

    /** Number of transactions in the set (saturating). */
    public long count() {
        long n = 0;
        for (List<Range> rs : sources.values()) {
            for (Range r : rs) n += r.to - r.from + 1;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MysqlGtidSet s && s.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String lastUuid = null;
        for (var e : sources.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            String key = e.getKey();
            int colon = key.indexOf(':');
            String uuid = colon < 0 ? key : key.substring(0, colon);
            if (!uuid.equals(lastUuid)) {
                if (!sb.isEmpty()) sb.append(',');
                sb.append(uuid);
                lastUuid = uuid;
            }
            if (colon >= 0) sb.append(':').append(key.substring(colon + 1));
            for (Range r : e.getValue()) sb.append(':').append(r);
        }
        return sb.toString();
    }
}
