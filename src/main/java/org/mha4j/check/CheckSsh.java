package org.mha4j.check;

import java.util.List;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshMeshCheck;
import org.mha4j.ssh.SshOptions;
import org.mha4j.ssh.SshPairResult;
import org.mha4j.ssh.SshTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code masterha_check_ssh}: every configured host reachable from the manager and from every other host. */
public final class CheckSsh {
    private static final Logger log = LoggerFactory.getLogger("mha");
    public static final String OK_LINE = "All SSH connection tests passed successfully.";
    public static final String FAILED_LINE = "SSH Configuration Check Failed!";

    private CheckSsh() {}

    public static List<SshPairResult> run(AppConfig app) {
        List<ServerConfig> servers = app.servers().stream().filter(s -> !s.skipInitSshCheck()).toList();
        app.servers().stream().filter(ServerConfig::skipInitSshCheck)
                .forEach(s -> log.info("Skipping {} (skip_init_ssh_check=1).", s.block()));
        ServerConfig first = app.first();
        SshOptions opts = SshOptions.fromMhaOptions(first.sshOptions(), first.sshConnectionTimeout());
        List<SshTarget> targets = servers.stream().map(CheckSsh::target).toList();
        log.info("Starting SSH connection tests..");
        try (RemoteShell shell = new RemoteShell(opts)) {
            List<SshPairResult> results = new SshMeshCheck(shell, opts).run(targets);
            for (SshPairResult r : results) {
                if (r.ok()) {
                    log.info("Connecting via SSH from {} to {}.. ok.", r.from().map(SshTarget::display).orElse("manager"), r.to().display());
                } else {
                    log.error("{}", r.describe());
                }
            }
            return results;
        }
    }

    static SshTarget target(ServerConfig s) {
        return SshTarget.of(s);
    }
}
