package org.mha4j.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook program check that runs before a failover changes anything. */
class HookCommandTest {
    @TempDir
    Path dir;

    @Test
    void theProgramIsTheFirstWordAfterAssignmentsAndMustBeAnExecutableFile() throws IOException {
        Path script = Files.writeString(dir.resolve("ip.sh"), "#!/bin/sh\nexit 0\n");
        assertThat(HookCommand.problem(script + " 10.1.1.100 1")).hasValue(script + " is not an executable file (chmod +x " + script + ")");
        script.toFile().setExecutable(true);
        assertThat(HookCommand.problem(script + " 10.1.1.100 1")).isEmpty();
        assertThat(HookCommand.problem("FAIL=3 LANG=C " + script)).isEmpty();
        assertThat(HookCommand.problem("\"" + script + "\" --x")).isEmpty();
        assertThat(HookCommand.problem(dir.resolve("missing.sh") + " --x")).hasValue(dir.resolve("missing.sh") + " does not exist");
        assertThat(HookCommand.problem("sh " + script)).isEmpty();
        assertThat(HookCommand.problem("no-such-program-mha4j --x")).hasValueSatisfying(p -> assertThat(p).contains("not found in the PATH"));
        assertThat(HookCommand.problem(dir.toString())).hasValueSatisfying(p -> assertThat(p).contains("is not an executable file"));
    }
}
