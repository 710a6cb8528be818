package org.mha4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MysqlGtidSetTest {

    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "9eae27c2-0dad-11ee-a64c-0242ac110002";

    @Test
    void parsesAndNormalisesTheServersOwnOutput() {
        // gtid_executed as MySQL prints it: upper-case uuids, line breaks after commas, unsorted ranges
        MysqlGtidSet s = MysqlGtidSet.parse(B.toUpperCase() + ":7-9:1-5,\n" + A + ":1-3:4");
        assertThat(s.toString()).isEqualTo(A + ":1-4," + B + ":1-5:7-9");
        assertThat(s.count()).isEqualTo(4 + 5 + 3);
    }

    @Test
    void subtractFindsErrantTransactions() {
        MysqlGtidSet master = MysqlGtidSet.parse(A + ":1-100");
        MysqlGtidSet replica = MysqlGtidSet.parse(A + ":1-90," + B + ":1-2");
        assertThat(replica.subtract(master).toString()).isEqualTo(B + ":1-2");
        assertThat(master.subtract(replica).toString()).isEqualTo(A + ":91-100");
        assertThat(master.containsAll(MysqlGtidSet.parse(A + ":5-50"))).isTrue();
    }

    @Test
    void taggedGtidsOfMysql84AreSeparateSources() {
        MysqlGtidSet s = MysqlGtidSet.parse(A + ":1-5:blue:1-3");
        assertThat(s.toString()).isEqualTo(A + ":1-5:blue:1-3");
        assertThat(s.subtract(MysqlGtidSet.parse(A + ":1-5")).toString()).isEqualTo(A + ":blue:1-3");
    }

    @Test
    void rejectsGarbageWithTheElement() {
        assertThatThrownBy(() -> MysqlGtidSet.parse("not-a-uuid:1-3")).hasMessageContaining("not-a-uuid:1-3");
        assertThatThrownBy(() -> MysqlGtidSet.parse(A + ":5-2")).hasMessageContaining(A + ":5-2");
        assertThatThrownBy(() -> MysqlGtidSet.parse(A + ":1-5").subtract(MariadbGtidSet.parse("0-1-5")))
                .hasMessageContaining("MariaDB");
    }

    @Provide
    Arbitrary<MysqlGtidSet> sets() {
        Arbitrary<String> uuid = Arbitraries.of(A, B, "00000000-0000-0000-0000-000000000001");
        Arbitrary<String> range = Combinators.combine(Arbitraries.longs().between(1, 60), Arbitraries.longs().between(0, 8))
                .as((from, len) -> len == 0 ? Long.toString(from) : from + "-" + (from + len));
        Arbitrary<String> element = Combinators.combine(uuid, range.list().ofMinSize(1).ofMaxSize(4))
                .as((u, rs) -> u + ":" + String.join(":", rs));
        return element.list().ofMaxSize(4).map(l -> MysqlGtidSet.parse(String.join(",", l)));
    }

    private static boolean contains(MysqlGtidSet s, String uuid, long n) {
        return s.sources().getOrDefault(uuid, List.of()).stream().anyMatch(r -> r.from() <= n && n <= r.to());
    }

    @Property
    void printingAndParsingAgainGivesTheSameSet(@ForAll("sets") MysqlGtidSet s) {
        assertThat(MysqlGtidSet.parse(s.toString())).isEqualTo(s);
    }

    @Property
    void subtractAndUnionAgreeWithMembership(@ForAll("sets") MysqlGtidSet a, @ForAll("sets") MysqlGtidSet b) {
        MysqlGtidSet diff = a.subtract(b);
        MysqlGtidSet union = a.union(b);
        for (String u : List.of(A, B, "00000000-0000-0000-0000-000000000001")) {
            for (long n = 1; n <= 70; n++) {
                assertThat(contains(diff, u, n)).isEqualTo(contains(a, u, n) && !contains(b, u, n));
                assertThat(contains(union, u, n)).isEqualTo(contains(a, u, n) || contains(b, u, n));
            }
        }
        assertThat(union.containsAll(a)).isTrue();
        assertThat(diff.union(b).containsAll(a)).isTrue();
        assertThat(a.subtract(a).isEmpty()).isTrue();
    }
}
