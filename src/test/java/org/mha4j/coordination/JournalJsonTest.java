package org.mha4j.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mha4j.failover.Coordination;
import org.mha4j.promote.Step;

class JournalJsonTest {

    @Test
    void aJournalComesBackAsItWentWithItsStepsAndItsNulls() throws Exception {
        FailoverJournal j = new FailoverJournal("mgr-a:101", 7, "db1:3306", "2026-11-29T10:00:00Z", FailoverJournal.RUNNING, null,
                List.of(new Step("Phase 3.3: New Master Recovery Phase", "sql", "server2 (db2:3306)", "CHANGE MASTER TO MASTER_PASSWORD='******'",
                        "2026-11-29T10:00:01Z", 12, Step.OK, null),
                        new Step("Phase 3.4", "hook master_ip_failover_script", null, "/bin/ip \"quoted\" \\\\ back", "2026-11-29T10:00:02Z",
                                3000, Step.FAILED, "exit code 1")), null, null);
        assertThat(JournalJson.journal(JournalJson.write(j))).isEqualTo(j);
        FailoverJournal over = j.takenOver("mgr-b:9", false, "2026-11-29T10:00:30Z");
        assertThat(JournalJson.journal(JournalJson.write(over))).isEqualTo(over);
    }

    @Test
    void theLastFailoverComesBackAndUnknownFieldsAreIgnored() throws Exception {
        Coordination.Last l = new Coordination.Last("2026-11-29T10:00:05Z", "db1:3306", "db2:3306", "mgr-a:101");
        assertThat(JournalJson.last(JournalJson.write(l))).isEqualTo(l);
        byte[] newer = "{\"at\":\"2026-11-29T10:00:05Z\",\"dead\":\"db1:3306\",\"future\":{\"x\":[1,2.5,true,null]},\"manager\":\"m\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(JournalJson.last(newer)).isEqualTo(new Coordination.Last("2026-11-29T10:00:05Z", "db1:3306", null, "m"));
        assertThatThrownBy(() -> JournalJson.last("[1]".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a JSON object");
    }
}
