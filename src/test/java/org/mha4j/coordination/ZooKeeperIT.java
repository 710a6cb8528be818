package org.mha4j.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mha4j.bench.Netns;
import org.mha4j.bench.PartitionedCluster;
import org.mha4j.bench.ZkEnsemble;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;

/**
 * Managers on a real three-server ZooKeeper ensemble (ZooKeeper's own server, one process each) watching a real
 * sandbox, each manager a process of its own with its own manager_workdir, as on separate hosts. In every case a master
 * crash is failed over exactly once, or not at all when no manager can lead.
 */
class ZooKeeperIT extends SandboxTest {
    private static final Pattern COMPLETED = Pattern.compile("Master failover to .* completed successfully");
    private ZkEnsemble zk;
    private final List<Process> managers = new ArrayList<>();

    @AfterEach
    void stopAll(org.junit.jupiter.api.TestInfo test) throws Exception {
        for (Process p : managers) p.destroyForcibly().waitFor();
        if (zk != null) zk.close();
        // the managers' and servers' output, kept where a failed run can be read (the temporary directory goes)
        Path keep = Files.createDirectories(Path.of("target", "zookeeper-it", test.getTestMethod().orElseThrow().getName()));
        try (var files = Files.walk(tmp)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("manager\\.out|zk\\d\\.log")).toList()) {
                Files.copy(f, keep.resolve(f.getParent().getFileName() + "-" + f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** A manager's own directory with app1.conf: the sandbox's servers, its own workdir and log, the coordination key. */
    private Path managerConf(String name, Path sandboxConf, String coordination, String extra) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path work = dir.resolve("work");
        String text = Files.readString(sandboxConf)
                .replaceAll("(?m)^manager_workdir=.*$", "manager_workdir=" + work)
                .replaceAll("(?m)^manager_log=.*$", "manager_log=" + work.resolve("app1.log"))
                .replace("[server default]\n", "[server default]\ncoordination=" + coordination + "\n" + extra);
        Path conf = dir.resolve("app1.conf");
        Files.writeString(conf, text);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        return conf;
    }

    private Process start(Path conf, List<String> prefix) throws IOException {
        return start(conf, prefix, List.of("masterha_manager", "--conf=" + conf));
    }

    private Process start(Path conf, List<String> prefix, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                "org.mha4j.cli.Main"));
        cmd.addAll(command);
        cmd.add(global());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(conf.resolveSibling("manager.out").toFile()).start();
        managers.add(p);
        return p;
    }

    private static final String TOKEN = "zookeeper-it-token-0123456789";

    private Process startServe(Path conf, int port) throws IOException {
        Path token = Files.writeString(tmp.resolve("api.token"), TOKEN);
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        return start(conf, List.of(), List.of("serve", "--conf-dir=" + conf.getParent(), "--listen=127.0.0.1:" + port, "--token-file=" + token));
    }

    private static String http(int port, String path) {
        return http(port, path, null);
    }

    /** @param post a POST body (with the token), or null for a GET */
    private static String http(int port, String path, String post) {
        try {
            var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path));
            if (post != null) b.header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.ofString(post));
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(b.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private Process start(Path conf) throws IOException {
        return start(conf, List.of());
    }

    private int status(Path conf) throws IOException {
        return Cli.run("masterha_check_status", "--conf=" + conf, global()).rc();
    }

    private static String out(Path conf) {
        try {
            return Files.readString(conf.resolveSibling("manager.out"));
        } catch (IOException e) {
            return "";
        }
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private int completedFailovers(List<Path> confs) {
        return confs.stream().mapToInt(c -> count(COMPLETED, out(c))).sum();
    }

    private int writableServers() {
        int n = 0;
        for (int i = 1; i <= 3; i++) {
            try {
                if ("0".equals(value(i, "SELECT @@read_only"))) n++;
            } catch (RuntimeException down) {
                // a killed server counts as not writable
            }
        }
        return n;
    }

    /** One manager leads (PING_OK), every other one is a standby. @return the leader's index */
    private int awaitOneLeader(List<Path> confs, Duration within) {
        int[] leader = {-1};
        await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
            int leaders = 0;
            int standbys = 0;
            for (int i = 0; i < confs.size(); i++) {
                int rc = status(confs.get(i));
                if (rc == 0) {
                    leaders++;
                    leader[0] = i;
                } else if (rc == 40) {
                    standbys++;
                }
            }
            return leaders == 1 && standbys == confs.size() - 1;
        });
        return leader[0];
    }

    /** A master_ip_failover_script that, for one command, says so in a file and waits until it is released. */
    private Path holdingHook(String name, String command) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path script = dir.resolve("ip_failover.sh");
        Files.writeString(script, "#!/bin/sh\ncase \"$*\" in *--command=" + command + "*)\n  touch " + dir.resolve("held")
                + "\n  i=0\n  while [ ! -e " + dir.resolve("release") + " ] && [ $i -lt 900 ]; do sleep 0.1; i=$((i+1)); done;;\nesac\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void aStandbyTakesOverFromAKilledLeaderAndFailsOverALaterCrashOnce() throws Exception {
        zk = ZkEnsemble.start(tmp.resolve("zk"), 3);
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        String coordination = zk.coordination("127.0.0.1", "/mha4j");
        List<Path> confs = List.of(managerConf("m1", sb.configFile(), coordination, ""),
                managerConf("m2", sb.configFile(), coordination, ""), managerConf("m3", sb.configFile(), coordination, ""));
        List<Process> procs = new ArrayList<>();
        procs.add(start(confs.get(0)));
        await().atMost(Duration.ofSeconds(60)).until(() -> status(confs.get(0)) == 0);
        procs.add(start(confs.get(1)));
        // the third manager is mha serve, watching the same application: its API and metrics say standby
        int port = Sandbox.freePort();
        procs.add(startServe(confs.get(2), port));
        int first = awaitOneLeader(confs, Duration.ofSeconds(60));
        assertThat(first).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(http(port, "/api/apps/app1")).containsPattern("\"status\"\\s*:\\s*\"STANDBY\""));
        assertThat(http(port, "/metrics")).contains("mha_manager_status{app=\"app1\"} 40.0");
        // a standby changes no server, also when asked through its API
        assertThat(http(port, "/api/apps/app1/switch", "{\"dry_run\": false}")).startsWith("409 ").contains("STANDBY");
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");

        procs.get(first).destroyForcibly().waitFor();  // kill -9 of the leader manager while it monitors
        List<Path> rest = new ArrayList<>(confs);
        rest.remove(first);
        // the session timeout (6 s) ends the dead leader's session; the election then takes a moment
        int second = awaitOneLeader(rest, Duration.ofSeconds(20));
        assertThat(out(rest.get(second))).contains("now leads app1");
        // mha serve refuses a switch as a standby, and as the leader too (it would hand the lead over mid-switch)
        assertThat(http(port, "/api/apps/app1/switch", "{\"dry_run\": false}")).startsWith("409 ")
                .contains(second == 1 ? "COORDINATED" : "STANDBY");

        sb.killNode(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> completedFailovers(rest) == 1);
        // the standby sees the leader's failover end and watches the new master as a standby again
        int standby = 1 - second;
        await().atMost(Duration.ofSeconds(30)).until(() -> out(rest.get(standby)).contains("ended the failover of"));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(rest.get(standby)) == 40);
        Thread.sleep(3000);
        assertThat(completedFailovers(confs)).isEqualTo(1);
        assertThat(count(Pattern.compile("Starting master failover"), out(rest.get(standby)))).isZero();
        assertThat(writableServers()).isEqualTo(1);

        // last_failover_minute is shared: the standby, leading now, has no failover of its own on its host, and still
        // refuses a second one within the window because ZooKeeper records the first
        procs.get(1 + second).destroyForcibly().waitFor();
        await().atMost(Duration.ofSeconds(20)).until(() -> status(rest.get(standby)) == 0);
        int newMaster = "0".equals(value(2, "SELECT @@read_only")) ? 2 : 3;
        sb.killNode(newMaster);
        await().atMost(Duration.ofSeconds(40)).until(() -> out(rest.get(standby)).contains("too early to do failover again"));
        assertThat(out(rest.get(standby))).contains("recorded in ZooKeeper");
        assertThat(completedFailovers(confs)).isEqualTo(1);
    }

    @Test
    void aLeaderCutOffFromZooKeeperInTheMiddleOfAFailoverStopsAndItsSuccessorFailsOverOnce() throws Exception {
        assumeTrue(Netns.available(), "needs root and iproute2 for network namespaces");
        zk = ZkEnsemble.start(tmp.resolve("zk"), 3);
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        try (PartitionedCluster h = PartitionedCluster.create(sb, tmp.resolve("partitioned.conf"))) {
            Path hook = holdingHook("hookA", "stop");
            // manager A on a host of its own (a namespace), reaching ZooKeeper at this host's address there
            Path a = managerConf("mA", h.conf(), zk.coordination(h.hostAddress(), "/mha4j"), "master_ip_failover_script=" + hook + "\n");
            Path b = managerConf("mB", h.conf(), zk.coordination("127.0.0.1", "/mha4j"), "");
            start(a, h.onManagerHost(List.of()));
            await().atMost(Duration.ofSeconds(60)).until(() -> status(a) == 0);
            start(b);
            await().atMost(Duration.ofSeconds(60)).until(() -> status(b) == 40);

            sb.killNode(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(hook.resolveSibling("held")));
            h.cutManagerFromHost();  // A, in Phase 2, loses ZooKeeper (and only ZooKeeper)
            await().atMost(Duration.ofSeconds(30)).until(() -> out(b).contains("now leads app1"));
            // A's hook ends; A still holds MHA's lock on the replicas until its guard stops it at its next change
            Files.writeString(hook.resolveSibling("release"), "");
            await().atMost(Duration.ofSeconds(30)).until(() -> out(a).contains("this manager changes nothing more"));
            await().atMost(Duration.ofSeconds(60)).until(() -> completedFailovers(List.of(b)) == 1);
            assertThat(out(b)).contains("No server was changed after Phase 2");
            h.healManagerToHost();
            Thread.sleep(3000);
            assertThat(completedFailovers(List.of(a, b))).isEqualTo(1);
            assertThat(out(a)).doesNotContain("completed successfully");
            assertThat(writableServers()).isEqualTo(1);
            // A goes back to watching, as a standby, once ZooKeeper answers again
            await().atMost(Duration.ofSeconds(60)).until(() -> status(a) == 40);
        }
    }

    @Test
    void aLeaderKilledInPhase3IsReportedByItsSuccessorAndNotFailedOverAgain() throws Exception {
        zk = ZkEnsemble.start(tmp.resolve("zk"), 3);
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        String coordination = zk.coordination("127.0.0.1", "/mha4j");
        Path hook = holdingHook("hookA", "start");
        Path a = managerConf("mA", sb.configFile(), coordination, "master_ip_failover_script=" + hook + "\n");
        Path b = managerConf("mB", sb.configFile(), coordination, "");
        Process pa = start(a);
        await().atMost(Duration.ofSeconds(60)).until(() -> status(a) == 0);
        start(b);
        await().atMost(Duration.ofSeconds(60)).until(() -> status(b) == 40);

        sb.killNode(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(hook.resolveSibling("held")));
        pa.destroyForcibly().waitFor();  // in Phase 3, after the new master took its role, before writes are allowed
        await().atMost(Duration.ofSeconds(40)).until(() -> out(b).contains("NOT taken over"));
        String account = out(b);
        assertThat(account).contains("It changed servers; done, in order:").contains("Left to do by hand");
        assertThat(count(Pattern.compile("Starting master failover"), account)).isZero();
        assertThat(Files.exists(b.resolveSibling("work").resolve("app1.failover.error"))).isTrue();
        assertThat(completedFailovers(List.of(a, b))).isZero();
        assertThat(writableServers()).isZero();  // nobody let a second master take writes
    }

    @Test
    void withoutAZooKeeperQuorumNobodyFailsOverUntilItReturnsThenExactlyOnce() throws Exception {
        zk = ZkEnsemble.start(tmp.resolve("zk"), 3);
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        String coordination = zk.coordination("127.0.0.1", "/mha4j");
        List<Path> confs = List.of(managerConf("m1", sb.configFile(), coordination, ""), managerConf("m2", sb.configFile(), coordination, ""));
        for (Path c : confs) start(c);
        awaitOneLeader(confs, Duration.ofSeconds(60));

        zk.kill(2);
        zk.kill(3);
        sb.killNode(1);
        await().atMost(Duration.ofSeconds(40)).until(() -> confs.stream().allMatch(c -> out(c).contains("does not lead the application")));
        Thread.sleep(10_000);
        assertThat(completedFailovers(confs)).isZero();
        assertThat(confs.stream().mapToInt(c -> count(Pattern.compile("Starting master failover"), out(c))).sum()).isZero();
        assertThat(writableServers()).isZero();

        zk.startServer(2);
        zk.startServer(3);
        await().atMost(Duration.ofSeconds(90)).until(() -> completedFailovers(confs) == 1);
        Thread.sleep(3000);
        assertThat(completedFailovers(confs)).isEqualTo(1);
        assertThat(writableServers()).isEqualTo(1);
    }

    @Test
    void restartingEachZooKeeperServerInTurnChangesNothing() throws Exception {
        zk = ZkEnsemble.start(tmp.resolve("zk"), 3);
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        String coordination = zk.coordination("127.0.0.1", "/mha4j");
        List<Path> confs = List.of(managerConf("m1", sb.configFile(), coordination, ""), managerConf("m2", sb.configFile(), coordination, ""));
        List<Process> procs = new ArrayList<>();
        for (Path c : confs) procs.add(start(c));
        int leader = awaitOneLeader(confs, Duration.ofSeconds(60));
        for (int i = 1; i <= 3; i++) {
            zk.kill(i);
            Thread.sleep(2000);
            zk.startServer(i);
            zk.awaitServing(Duration.ofSeconds(60));
        }
        Thread.sleep(3000);
        assertThat(awaitOneLeader(confs, Duration.ofSeconds(10))).isEqualTo(leader);
        for (Path c : confs) assertThat(out(c)).doesNotContain("no longer leads").doesNotContain("Starting master failover");
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");

        // an operator's switch from a third host while the managers watch is refused, as MHA refuses one beside its manager
        Path operator = managerConf("operator", sb.configFile(), coordination, "");
        Cli.Run sw = Cli.run("masterha_master_switch", "--conf=" + operator, global(), "--master_state=alive",
                "--new_master_host=127.0.0.1", "--new_master_port=" + sb.node(2).port(), "--interactive=0");
        assertThat(sw.rc()).isEqualTo(1);
        assertThat(sw.out()).contains("Managers watch app1 through ZooKeeper").contains("nothing changed");
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");

        // masterha_stop's SIGTERM: the leader leaves the election on its way out, the standby leads, nothing fails over
        procs.get(leader).destroy();
        assertThat(procs.get(leader).waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(out(confs.get(leader))).contains("no longer leads app1");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(confs.get(1 - leader)) == 0);
        assertThat(out(confs.get(1 - leader))).doesNotContain("Starting master failover");
        assertThat(value(1, "SELECT @@read_only")).isEqualTo("0");
    }
}
