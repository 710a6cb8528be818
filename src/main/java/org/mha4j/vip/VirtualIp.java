package org.mha4j.vip;

import java.time.Duration;
import java.util.Optional;
import org.mha4j.config.ServerConfig;
import org.mha4j.ssh.ExecResult;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshFailure;
import org.mha4j.ssh.SshTarget;
import org.mha4j.topology.ServerLabels;

/**
 * The virtual IP ({@code vip}, {@code vip_interface}) moved by MHA4J itself over the hosts' SSH, where MHA leaves it to
 * a master_ip_failover_script: released from the old master's host, taken by the new master's host with a gratuitous
 * ARP ({@code arping -U}, Debian's iputils-arping) so that clients' ARP caches follow at once. Commands run as the
 * SSH user, through {@code sudo -n} when that user is not root.
 */
public final class VirtualIp {
    private static final Duration COMMAND = Duration.ofSeconds(15);
    private static final String AS_ROOT = "S=; [ \"$(id -u)\" -eq 0 ] || S='sudo -n'; ";

    private VirtualIp() {}

    /** @return what was done, or why not (never throws: the caller reports it) */
    public record Outcome(boolean ok, String summary) {}

    /** Removes the address from {@code host}'s interface; an address that is not there is not an error. */
    public static Outcome release(ServerConfig host, RemoteShell sh) {
        String vip = host.vip().orElseThrow();
        String cmd = AS_ROOT + "out=$($S ip addr del " + RemoteShell.quote(vip) + " dev " + RemoteShell.quote(host.vipInterface())
                + " 2>&1); rc=$?; case \"$out\" in *'Cannot assign requested address'*) exit 0;; esac; echo \"$out\" >&2; exit $rc";
        return run(host, sh, cmd, "ip addr del " + vip, "removed " + vip + " from " + host.vipInterface() + " on " + host.sshHost());
    }

    /** Adds the address on {@code host}'s interface (again, if it holds it already), then a gratuitous ARP. */
    public static Outcome acquire(ServerConfig host, RemoteShell sh) {
        String vip = host.vip().orElseThrow();
        String address = vip.substring(0, vip.indexOf('/'));
        String iface = RemoteShell.quote(host.vipInterface());
        String cmd = AS_ROOT + "$S ip addr replace " + RemoteShell.quote(vip) + " dev " + iface + " || exit $?; "
                + (host.vipArping() ? "if command -v arping >/dev/null; then $S arping -U -c 2 -w 2 -I " + iface + " " + address
                + " >/dev/null 2>&1 || echo 'gratuitous ARP failed' >&2; else echo 'arping not found (apt-get install iputils-arping):"
                + " clients keep the old ARP entry until it expires' >&2; fi; exit 0" : "exit 0");
        return run(host, sh, cmd, "ip addr replace " + vip, "added " + vip + " on " + host.vipInterface() + " of " + host.sshHost());
    }

    /** Whether {@code host} has the interface: a missing one is a refusal at start, not a surprise in a failover. */
    public static Optional<String> interfaceProblem(ServerConfig host, RemoteShell sh) {
        try {
            ExecResult r = sh.exec(SshTarget.of(host), "ip -o link show dev " + RemoteShell.quote(host.vipInterface()), COMMAND);
            return r.exitCode() == 0 ? Optional.empty() : Optional.of("vip_interface=" + host.vipInterface() + " does not exist on "
                    + host.sshHost() + " (" + (r.stderr().isBlank() ? "exit " + r.exitCode() : r.stderr().strip()) + ")");
        } catch (SshFailure e) {
            return Optional.of("cannot check vip_interface on " + host.sshHost() + ": " + e.getMessage());
        }
    }

    private static Outcome run(ServerConfig host, RemoteShell sh, String cmd, String what, String done) {
        try {
            ExecResult r = sh.exec(SshTarget.of(host), cmd, COMMAND);
            if (r.exitCode() != 0) {
                return new Outcome(false, ServerLabels.label(host) + ": " + what + " on " + host.sshHost() + " failed (exit " + r.exitCode() + "): "
                        + r.stderr().strip());
            }
            return new Outcome(true, done + (r.stderr().isBlank() ? "" : " (" + r.stderr().strip() + ")"));
        } catch (SshFailure e) {
            return new Outcome(false, ServerLabels.label(host) + ": its host does not answer SSH: " + e.getMessage());
        }
    }
}
