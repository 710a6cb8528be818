package org.mha4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mha4j.check.CheckSsh;
import org.mha4j.config.ConfigException;
import org.mha4j.ssh.SshPairResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

@Command(name = "ssh", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Checks SSH as MHA's masterha_check_ssh does: the manager to every server, and every server to",
                "every other one with that server's own ssh client (ssh_user, ssh_port, ssh_options from the config).",
                "Prints one line per failing pair, then 'All SSH connection tests passed successfully.' (exit 0)",
                "or 'SSH Configuration Check Failed!' (exit 1)."})
public final class CheckSshCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("mha");

    @Mixin
    ConfOptions conf;

    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        try {
            List<SshPairResult> results = CheckSsh.run(conf.load(unmatched));
            long failed = results.stream().filter(r -> !r.ok()).count();
            if (failed == 0) {
                log.info("{}", CheckSsh.OK_LINE);
                return 0;
            }
            log.error("{} of {} SSH connection tests failed.", failed, results.size());
            log.error("{}", CheckSsh.FAILED_LINE);
            return 1;
        } catch (ConfigException e) {
            log.error("{}", e.getMessage());
            log.error("{}", CheckSsh.FAILED_LINE);
            return 1;
        }
    }
}
