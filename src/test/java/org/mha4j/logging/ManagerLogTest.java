package org.mha4j.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** manager_log: MHA's line format, log_level, and a new file after logrotate moved the old one away. */
class ManagerLogTest {
    @TempDir
    Path tmp;

    @Test
    void aRotatedLogIsOpenedAgainAndLogLevelIsHonoured() throws Exception {
        Path file = tmp.resolve("app1.log");
        ch.qos.logback.classic.Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        Logger log = LoggerFactory.getLogger("mha");
        try (ManagerLog attached = ManagerLog.attach(file.toString(), "warning")) {
            assertThat(attached).isNotNull();
            log.info("not at log_level=warning");
            log.warn("before rotation");
            Files.move(file, tmp.resolve("app1.log.1"));  // logrotate without copytruncate
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
            log.error("after rotation");
            assertThat(Files.readString(tmp.resolve("app1.log.1"))).contains("[warning] before rotation").doesNotContain("not at log_level")
                    .doesNotContain("after rotation");
            assertThat(Files.readString(file)).containsPattern("^\\w{3} \\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d \\d{4} - \\[error\\] after rotation");
        } finally {
            root.setLevel(before);
        }
    }

    @Test
    void mhaLevelsMapOntoLogback() {
        assertThat(ManagerLog.level("notice")).isEqualTo(Level.INFO);
        assertThat(ManagerLog.level("critical")).isEqualTo(Level.ERROR);
        assertThat(ManagerLog.level("DEBUG")).isEqualTo(Level.DEBUG);
    }
}
