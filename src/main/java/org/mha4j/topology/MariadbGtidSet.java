package org.mha4j.topology;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * MariaDB's GTID state, {@code domain-server-seq} per entry, as in {@code @@gtid_binlog_state}: for every
 * (domain, originating server) the last sequence number written. A server holds a transaction another lacks when
 * its last sequence for a (domain, server) pair is higher, or the other has no entry for that pair at all: this
 * is how transactions written directly on a replica (errant transactions) show up.
 *
 * <p>Position lists such as {@code gtid_slave_pos} or {@code Gtid_IO_Pos} hold one entry per domain; they parse
 * into the same shape.
 */
public final class MariadbGtidSet implements GtidSet {

    public record Key(long domain, long serverId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return domain != o.domain ? Long.compare(domain, o.domain) : Long.compare(serverId, o.serverId);
        }
    }

    private final TreeMap<Key, Long> last;

    private MariadbGtidSet(TreeMap<Key, Long> last) {
        this.last = last;
    }

    public static MariadbGtidSet parse(String text) {
        TreeMap<Key, Long> map = new TreeMap<>();
        if (text != null) {
            for (String part : text.replaceAll("\\s", "").split(",")) {
                if (part.isEmpty()) continue;
                String[] f = part.split("-");
                try {
                    if (f.length != 3) throw new NumberFormatException();
                    Key k = new Key(Long.parseUnsignedLong(f[0]), Long.parseUnsignedLong(f[1]));
                    map.merge(k, Long.parseUnsignedLong(f[2]), Math::max);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid MariaDB GTID '" + part + "' (expected domain-server-sequence)");
                }
            }
        }
        return new MariadbGtidSet(map);
    }

    public Map<Key, Long> entries() {
        return Collections.unmodifiableMap(last);
    }

    @Override
    public boolean isEmpty() {
        return last.isEmpty();
    }

    @Override
    public MariadbGtidSet subtract(GtidSet other) {
        if (!(other instanceof MariadbGtidSet o)) {
            throw new IllegalArgumentException("cannot compare a MariaDB GTID set with a MySQL one");
        }
        TreeMap<Key, Long> rest = new TreeMap<>();
        last.forEach((k, seq) -> {
            Long theirs = o.last.get(k);
            if (theirs == null || theirs < seq) rest.put(k, seq);
        });
        return new MariadbGtidSet(rest);
    }

    /** Highest sequence number per domain: what a position list would say. */
    public Map<Long, Long> positionByDomain() {
        return last.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().domain(), Map.Entry::getValue,
                Math::max, TreeMap::new));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariadbGtidSet s && s.last.equals(last);
    }

    @Override
    public int hashCode() {
        return last.hashCode();
    }

    @Override
    public String toString() {
        return last.entrySet().stream()
                .map(e -> e.getKey().domain() + "-" + e.getKey().serverId() + "-" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
