package org.mha4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.SandboxFlavor;

/** Issue 17: the bench's JSON is written by Jackson, so every name and value is escaped and it parses back. */
class FailoverBenchJsonTest {
    @Test
    void theJsonParsesBackWithEveryValue() throws Exception {
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("Phase 1", 57L);
        phases.put("Phase \"3\"", 417L);
        FailoverBench.Trial t = new FailoverBench.Trial(1, FailoverBench.Fault.KILL, true, 25, phases, 1905, 1511, 1767, 0, 0, 0,
                "server\"2\\x", 2390, 187140, -1, List.of(7, 9));
        String json = FailoverBench.json(new FailoverBench.Settings(Path.of("/tmp"), 3, 4, SandboxFlavor.MARIADB, 1, true, false), List.of(t));
        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.get("replication").asText()).isEqualTo("gtid");
        JsonNode trial = root.get("trials").get(0);
        assertThat(trial.get("new_master").asText()).isEqualTo("server\"2\\x");
        assertThat(trial.get("phases_ms").get("Phase \"3\"").asLong()).isEqualTo(417);
        assertThat(trial.get("write_outage_ms").asLong()).isEqualTo(1511);
        assertThat(trial.get("lost_ids")).hasSize(2);
    }
}
