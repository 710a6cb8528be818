package org.mha4j.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private OpenSSH daemon on 127.0.0.1 with its own host key, client key and authorized_keys, so SSH features are
 * tested for real without touching the machine's sshd. It daemonises, so it outlives the JVM that started it.
 */
public final class LocalSshd implements AutoCloseable {
    static final String PORT_FILE = "port";
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port;

    private LocalSshd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static LocalSshd start(Path dir, int port) {
        if (!Files.isExecutable(SSHD)) throw new SandboxException("sshd not found: apt-get install openssh-server");
        Path d = dir.toAbsolutePath();
        NodeProcess.mkdirs(d, Path.of("/run/sshd"));
        int p = port > 0 ? port : NodeProcess.freePort();
        keygen(d.resolve("ssh_host_ed25519_key"));
        keygen(d.resolve("id_ed25519"));
        try {
            Files.copy(d.resolve("id_ed25519.pub"), d.resolve("authorized_keys"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(d.resolve("sshd_config"), """
                    # MHA4J sandbox sshd: loopback only, key login only.
                    ListenAddress 127.0.0.1
                    Port %d
                    HostKey %s/ssh_host_ed25519_key
                    AuthorizedKeysFile %s/authorized_keys
                    PidFile %s/sshd.pid
                    StrictModes no
                    PasswordAuthentication no
                    KbdInteractiveAuthentication no
                    UsePAM no
                    PermitRootLogin prohibit-password
                    # SshIT opens 50 logins at once to test the client's config resolution under concurrency
                    MaxStartups 100:30:200
                    # as Debian's own sshd_config: the manager reads binlogs and relay logs over SFTP
                    Subsystem sftp internal-sftp
                    LogLevel INFO
                    """.formatted(p, d, d, d));
            run(List.of(SSHD.toString(), "-f", d.resolve("sshd_config").toString(), "-E", d.resolve("sshd.log").toString()));
            Files.writeString(d.resolve(PORT_FILE), Integer.toString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitPort(p, Duration.ofSeconds(10));
        LocalSshd sshd = new LocalSshd(d, p);
        sshd.writeKnownHosts();
        return sshd;
    }

    public static LocalSshd open(Path dir) {
        try {
            return new LocalSshd(dir.toAbsolutePath(), Integer.parseInt(Files.readString(dir.resolve(PORT_FILE)).strip()));
        } catch (IOException e) {
            throw new SandboxException("no sandbox sshd in " + dir + ": " + e.getMessage());
        }
    }

    public int port() {
        return port;
    }

    public String user() {
        return System.getProperty("user.name");
    }

    public Path clientKey() {
        return dir.resolve("id_ed25519");
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** What an MHA config's ssh_options must say so that plain OpenSSH, and MHA4J, log in to this daemon. */
    public String sshOptions() {
        return "-i " + clientKey() + " -o UserKnownHostsFile=" + knownHosts() + " -o IdentitiesOnly=yes";
    }

    public boolean isRunning() {
        return pid() > 0 && NodeProcess.alive(pid());
    }

    private long pid() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("sshd.pid")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    public void stop() {
        long pid = pid();
        if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && NodeProcess.portOpen(port)) NodeProcess.sleep(50);
    }

    @Override
    public void close() {
        stop();
    }

    private void writeKnownHosts() {
        try {
            String hostKey = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).strip();
            String[] parts = hostKey.split(" ");
            Files.writeString(knownHosts(), "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keygen(Path key) {
        if (Files.exists(key)) return;
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mha4j-sandbox", "-f", key.toString()));
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new SandboxException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new SandboxException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted", e);
        }
    }

    private static void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!NodeProcess.portOpen(port)) {
            if (System.nanoTime() > deadline) {
                throw new SandboxException("sshd did not listen on 127.0.0.1:" + port + " within " + timeout.toSeconds() + " s");
            }
            NodeProcess.sleep(50);
        }
    }
}
