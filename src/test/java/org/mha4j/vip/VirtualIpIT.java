package org.mha4j.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mha4j.bench.TcpProxy;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;

/**
 * Issue 20: the virtual IP moved by MHA4J itself, for real. Three "hosts" are network namespaces on a bridge the test
 * creates (10.78.0.0/24, removed afterwards), each with its own sshd and a forwarder from its port 3306 to its server;
 * a client namespace connects to the VIP. After an online switch and after a kill -9 failover, the client's new
 * connections reach the new master through the VIP, and the old host no longer holds the address.
 */
class VirtualIpIT extends SandboxTest {
    private static final String VIP = "10.78.0.100";
    private final String tag = "mv" + (ProcessHandle.current().pid() % 10000);
    private final String bridge = tag + "br";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> forwarders = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final List<Path> sshdPids = new ArrayList<>();

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    private String ns(int host) {
        return tag + (host == 0 ? "c" : "h" + host);
    }

    /** The bridge, four namespaces (three hosts, one client), an sshd and a forwarder per host. */
    private void network() throws Exception {
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "addr", "add", "10.78.0.1/24", "dev", bridge);
        run("ip", "link", "set", bridge, "up");
        for (int h = 0; h <= 3; h++) {
            String n = ns(h);
            run("ip", "netns", "add", n);
            namespaces.add(n);
            run("ip", "link", "add", n, "type", "veth", "peer", "name", "eth0", "netns", n);
            run("ip", "link", "set", n, "master", bridge, "up");
            run("ip", "-n", n, "addr", "add", "10.78.0." + (10 + h) + "/24", "dev", "eth0");
            run("ip", "-n", n, "link", "set", "eth0", "up");
            run("ip", "-n", n, "link", "set", "lo", "up");
        }
        Path sshd = sb.dir().resolve("sshd");
        for (int h = 1; h <= 3; h++) {
            int port = sb.node(h).port();
            proxies.add(new TcpProxy("10.78.0.1", port, "127.0.0.1", port));
            forwarders.add(new ProcessBuilder("ip", "netns", "exec", ns(h), "socat", "TCP-LISTEN:3306,fork,reuseaddr", "TCP:10.78.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            Path pid = tmp.resolve("sshd-" + h + ".pid");
            sshdPids.add(pid);
            run("ip", "netns", "exec", ns(h), "/usr/sbin/sshd", "-f", sshd.resolve("sshd_config").toString(), "-o", "ListenAddress=10.78.0." + (10 + h),
                    "-o", "Port=22", "-o", "PidFile=" + pid, "-E", tmp.resolve("sshd-" + h + ".log").toString());
        }
    }

    @AfterEach
    void removeNetwork() throws Exception {
        for (Process p : forwarders) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        for (Path pid : sshdPids) {
            if (Files.exists(pid)) new ProcessBuilder("kill", Files.readString(pid).strip()).start().waitFor();
        }
        for (TcpProxy p : proxies) p.close();
        for (String n : namespaces) {
            // what still runs in it (sshd's children of sessions the manager keeps) would keep the namespace, and its link, alive
            new ProcessBuilder("sh", "-c", "ip netns pids " + n + " | xargs -r kill -9").start().waitFor();
            new ProcessBuilder("ip", "netns", "del", n).start().waitFor();
        }
        new ProcessBuilder("ip", "link", "del", bridge).start().waitFor();
    }

    private boolean holdsVip(int host) throws Exception {
        return run("ip", "-n", ns(host), "-br", "addr", "show", "dev", "eth0").contains(VIP + "/24");
    }

    @Test
    void theVipFollowsTheMasterThroughASwitchAndAFailover() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "needs socat");
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        network();
        String conf = Files.readString(sb.configFile())
                .replace("-o IdentitiesOnly=yes\"", "-o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new\"")
                .replace("[server default]\n", "[server default]\nvip=" + VIP + "/24\nvip_interface=eth0\n");
        for (int h = 1; h <= 3; h++) conf = conf.replace("[server" + h + "]\n", "[server" + h + "]\nssh_host=10.78.0." + (10 + h) + "\nssh_port=22\n");
        Files.writeString(sb.configFile(), conf);
        run("ip", "-n", ns(1), "addr", "add", VIP + "/24", "dev", "eth0");
        String admin = sb.adminPassword();
        assertThat(throughVipWith(admin)).isEqualTo(Integer.toString(sb.node(1).port()));

        // a missing interface is refused at the start, before anything can depend on it
        Files.writeString(sb.configFile(), conf.replace("vip_interface=eth0", "vip_interface=nosuch0"));
        Cli.Run bad = Cli.run("masterha_check_repl", "--conf=" + sb.configFile(), global());
        assertThat(bad.rc()).isEqualTo(1);
        assertThat(bad.out()).contains("vip_interface=nosuch0 does not exist on 10.78.0.11");
        Files.writeString(sb.configFile(), conf);

        Cli.Run sw = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=alive", "--orig_master_is_new_slave",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(), "--interactive=0");
        assertThat(sw.rc()).as(sw.out()).isZero();
        assertThat(sw.out()).contains("Virtual IP: removed " + VIP).contains("Virtual IP: added " + VIP);
        assertThat(throughVipWith(admin)).isEqualTo(Integer.toString(sb.node(2).port()));
        assertThat(holdsVip(1)).isFalse();
        assertThat(holdsVip(2)).isTrue();

        sb.killNode(2);
        Cli.Run failover = Cli.run("masterha_master_switch", "--conf=" + sb.configFile(), global(), "--master_state=dead",
                "--dead_master_host=127.0.0.1", "--dead_master_port=" + sb.node(2).port(), "--interactive=0");
        assertThat(failover.rc()).as(failover.out()).isZero();
        int nm = "0".equals(sb.value(1, "SELECT @@read_only")) ? 1 : 3;
        assertThat(throughVipWith(admin)).isEqualTo(Integer.toString(sb.node(nm).port()));
        assertThat(holdsVip(2)).as("the dead master's host answers SSH: the address left it").isFalse();
        assertThat(holdsVip(nm)).isTrue();
    }

    /** The port of the server the client namespace reaches through the VIP (the password in its environment). */
    private String throughVipWith(String password) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns(0), "mariadb", "-h", VIP, "-P", "3306", "-u", Sandbox.ADMIN_USER,
                "--connect-timeout=5", "-N", "-e", "SELECT @@port").redirectErrorStream(true);
        pb.environment().put("MYSQL_PWD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
