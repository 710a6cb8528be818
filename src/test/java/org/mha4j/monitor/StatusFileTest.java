package org.mha4j.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status file in MHA's exact format, which MHA's own masterha_check_status and monitoring checks parse. */
class StatusFileTest {

    @TempDir
    Path dir;

    @Test
    void writesMhasCodeAndNameAndReadsItBack() throws Exception {
        StatusFile f = new StatusFile(dir, "app1");
        f.write(ManagerStatus.PING_OK, "db1");
        assertThat(Files.readString(dir.resolve("app1.master_status.health")))
                .isEqualTo(ProcessHandle.current().pid() + "\t0:PING_OK\tmaster:db1");
        f.write(ManagerStatus.FAILOVER_RUNNING, "db1");
        assertThat(Files.readString(f.path())).contains("\t50:FAILOVER_RUNNING\t");
        StatusFile.Content c = f.read().orElseThrow();
        assertThat(c.status()).isEqualTo(ManagerStatus.FAILOVER_RUNNING);
        assertThat(c.master()).isEqualTo("db1");
    }

    @Test
    void readsTheFormatWithoutCodeToo() throws Exception {
        Files.writeString(dir.resolve("app1.master_status.health"), "4242\tPING_FAILING\tmaster:db1");
        StatusFile.Content c = new StatusFile(dir, "app1").read().orElseThrow();
        assertThat(c.pid()).isEqualTo(4242);
        assertThat(c.status()).isEqualTo(ManagerStatus.PING_FAILING);
    }

    /** MHA's own manager, refused beside a running one, deletes the file on its way out: the next good ping writes it again. */
    @Test
    void aRemovedStatusFileIsWrittenAgainAtTheNextGoodPing() throws Exception {
        StatusFile f = new StatusFile(dir, "app1");
        f.touch();  // nothing written yet: nothing to restore, no file made up
        assertThat(f.read()).isEmpty();
        f.write(ManagerStatus.PING_OK, "db1");
        Files.delete(f.path());
        f.touch();
        assertThat(f.read()).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo(ManagerStatus.PING_OK);
            assertThat(c.master()).isEqualTo("db1");
            assertThat(c.pid()).isEqualTo(ProcessHandle.current().pid());
        });
    }
}
