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

    /** Issue 17: hooks get MHA's --..._ip, the address the hostname resolves to, and passwords masked in what is shown. */
    @Test
    void hooksGetTheResolvedIpAndTheLogShowsNoPassword() {
        org.mha4j.config.AppConfig app = org.mha4j.testing.Snapshots.config("[server default]\nuser=mha\npassword=s3cret\n"
                + "[server1]\nhostname=localhost\n[server2]\nhostname=localhost\nip=10.0.0.2\nport=3307\n");
        HookCommand start = HookCommand.masterIpFailoverStart("/bin/true", app.servers().get(0), app.servers().get(1));
        assertThat(start.arguments()).contains("--orig_master_ip=127.0.0.1", "--new_master_ip=10.0.0.2", "--new_master_password=s3cret");
        assertThat(start.shown()).contains("--new_master_password=******").doesNotContain("s3cret");
        assertThat(start.shellLine()).contains("--new_master_password=s3cret");
        assertThat(start.environment()).containsEntry("MHA_NEW_MASTER_PASSWORD", "s3cret");
    }
}
