package org.mha4j.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MariadbGtidSetTest {

    @Test
    void aReplicasOwnWritesAreWhatTheMasterLacks() {
        // gtid_binlog_state of a master (server 10) and of a replica that took a local write (server 30)
        MariadbGtidSet master = MariadbGtidSet.parse("0-10-120");
        MariadbGtidSet replica = MariadbGtidSet.parse("0-10-118,0-30-119");
        assertThat(replica.subtract(master).toString()).isEqualTo("0-30-119");
        assertThat(master.subtract(replica).toString()).isEqualTo("0-10-120");
    }

    @Test
    void aLaggingReplicaHasNothingExtra() {
        assertThat(MariadbGtidSet.parse("0-10-5").subtract(MariadbGtidSet.parse("0-10-9")).isEmpty()).isTrue();
    }

    @Test
    void positionByDomainTakesTheHighestSequence() {
        MariadbGtidSet s = MariadbGtidSet.parse("0-10-120, 0-20-7,1-10-3");
        assertThat(s.positionByDomain()).isEqualTo(Map.of(0L, 120L, 1L, 3L));
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> MariadbGtidSet.parse("0-10")).hasMessageContaining("'0-10'");
        assertThatThrownBy(() -> MariadbGtidSet.parse("a-b-c")).hasMessageContaining("domain-server-sequence");
    }

    @Provide
    Arbitrary<MariadbGtidSet> states() {
        Arbitrary<String> gtid = Combinators.combine(Arbitraries.longs().between(0, 2), Arbitraries.of(10L, 20L, 30L),
                Arbitraries.longs().between(1, 1000)).as((d, s, n) -> d + "-" + s + "-" + n);
        return gtid.list().ofMaxSize(6).map(l -> MariadbGtidSet.parse(String.join(",", l)));
    }

    @Property
    void roundTrip(@ForAll("states") MariadbGtidSet s) {
        assertThat(MariadbGtidSet.parse(s.toString())).isEqualTo(s);
    }

    @Property
    void subtractIsEmptyExactlyWhenTheOtherIsAtLeastAsFarEverywhere(@ForAll("states") MariadbGtidSet a,
                                                                    @ForAll("states") MariadbGtidSet b) {
        boolean covered = a.entries().entrySet().stream()
                .allMatch(e -> b.entries().getOrDefault(e.getKey(), -1L) >= e.getValue());
        assertThat(a.subtract(b).isEmpty()).isEqualTo(covered);
        assertThat(a.subtract(a).isEmpty()).isTrue();
    }
}
