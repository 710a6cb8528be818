package org.mha4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.mha4j.sandbox.Sandbox;

/** An integration test on one sandbox per test method, taken down afterwards whatever happened. */
@Tag("integration")
public abstract class SandboxTest {
    @TempDir
    protected Path tmp;
    protected Sandbox sb;

    @AfterEach
    void downSandbox() {
        if (sb != null) sb.down();
    }

    protected String value(int node, String sql) {
        return sb.value(node, sql);
    }

    /** {@code --global_conf=} an empty file, so this machine's /etc/masterha_default.cnf cannot leak into a test. */
    protected String global() throws IOException {
        return "--global_conf=" + Files.writeString(tmp.resolve("g.cnf"), "");
    }
}
