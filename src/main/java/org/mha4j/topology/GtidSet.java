package org.mha4j.topology;

/**
 * A set of global transaction ids in one flavour's notation. The two notations cannot be mixed: MySQL names
 * transactions by source uuid and number ranges, MariaDB by replication domain, originating server and sequence.
 */
public sealed interface GtidSet permits MysqlGtidSet, MariadbGtidSet {

    boolean isEmpty();

    /** The transactions of this set that {@code other} does not have. */
    GtidSet subtract(GtidSet other);

    default boolean containsAll(GtidSet other) {
        return other.subtract(this).isEmpty();
    }

    /** Parses the notation of the given flavour; null or blank is the empty set. */
    static GtidSet parse(Flavor flavor, String text) {
        return flavor == Flavor.MARIADB ? MariadbGtidSet.parse(text) : MysqlGtidSet.parse(text);
    }
}
