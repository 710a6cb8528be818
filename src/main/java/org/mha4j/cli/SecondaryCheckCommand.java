package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.mha4j.ssh.ExecResult;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshFailure;
import org.mha4j.ssh.SshOptions;
import org.mha4j.ssh.SshTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "masterha_secondary_check", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Checks the master's port through other hosts over SSH, as MHA's, for secondary_check_script.",
                "Exit codes: 0 master unreachable from every host (failover may go on), 2 a host itself is unreachable,",
                "3 the master is reachable from a host (no failover), 1 other errors."})
public final class SecondaryCheckCommand implements Callable<Integer> {
    @Option(names = {"-s", "--secondary_host"}, required = true, paramLabel = "HOST")
    List<String> hosts;
    @Option(names = "--user", defaultValue = "root")
    String user;
    @Option(names = "--port", converter = Numbers.Port.class, defaultValue = "22", description = "SSH port of the secondary hosts.")
    int port;
    @Option(names = "--options", defaultValue = "", description = "ssh options (e.g. -i key).")
    String options;
    @Option(names = "--master_host", required = true)
    String masterHost;
    @Option(names = "--master_ip")
    String masterIp;
    @Option(names = "--master_port", converter = Numbers.Port.class, defaultValue = "3306")
    int masterPort;
    @Option(names = "--timeout", converter = Numbers.Positive.class, defaultValue = "5")
    int timeout;
    @Unmatched
    List<String> ignored; // --master_user, --master_password, --ping_type: accepted as MHA passes them, not needed for a TCP check

    @Override
    public Integer call() {
        String target = masterIp != null ? masterIp : masterHost;
        // bash's /dev/tcp: a TCP connect from the secondary host, bounded by timeout, no client program needed there
        String probe = "timeout " + timeout + " bash -c 'exec 3<>/dev/tcp/" + target + "/" + masterPort + "' 2>/dev/null && echo reachable || echo unreachable";
        try (RemoteShell sh = new RemoteShell(SshOptions.fromMhaOptions(options, timeout))) {
            for (String h : hosts) {
                ExecResult r;
                try {
                    r = sh.exec(new SshTarget(h, h, port, user), probe, Duration.ofSeconds(timeout + 10L));
                } catch (SshFailure e) {
                    System.out.println("Secondary host " + h + " is not reachable: " + e.reason());
                    return 2;
                }
                if (r.stdout().contains("unreachable")) {
                    System.out.println("Master " + target + ":" + masterPort + " is unreachable from " + h + ".");
                } else if (r.stdout().contains("reachable")) {
                    System.out.println("Master " + target + ":" + masterPort + " is reachable from " + h + ".");
                    return 3;
                } else {
                    System.out.println("Unexpected answer from " + h + ": " + r.stdout().strip() + " " + r.stderr().strip());
                    return 1;
                }
            }
            System.out.println("Master is not reachable from all other monitoring servers. Failover should start.");
            return 0;
        }
    }
}
