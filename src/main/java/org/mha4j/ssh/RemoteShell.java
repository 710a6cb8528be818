package org.mha4j.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * Runs commands on hosts over SSH with Apache MINA SSHD: key login only, with the identities and known_hosts
 * named in {@link SshOptions} (never whatever ~/.ssh happens to hold), every wait bounded.
 */
public final class RemoteShell implements AutoCloseable {
    /** The shell that opened a connection: its identities and host-key policy are the connection's. */
    private static final AttributeRepository.AttributeKey<RemoteShell> SHELL = new AttributeRepository.AttributeKey<>();

    private final SshClient client;
    private final SshOptions opts;
    private final FileKeyPairProvider identities;
    private final org.apache.sshd.client.config.hosts.HostConfigEntryResolver hosts;
    private final HostKeyPolicy hostKeys;
    private final java.util.Map<String, ClientSession> sessions = new java.util.HashMap<>();
    private final boolean reuseSessions;

    /** A shell with the block's ssh_options and ssh_connection_timeout. */
    public static RemoteShell forServer(org.mha4j.config.ServerConfig c, boolean reuseSessions) {
        return new RemoteShell(SshOptions.fromMhaOptions(c.sshOptions(), c.sshConnectionTimeout()), reuseSessions);
    }

    public RemoteShell(SshOptions opts) {
        this(opts, false);
    }

    /**
     * Whether a server's host answers SSH now (a fresh login running {@code exit 0}, bounded by ssh_connection_timeout).
     *
     * @return empty when it does, else why not
     */
    public static Optional<String> unreachable(org.mha4j.config.ServerConfig c) {
        try (RemoteShell sh = forServer(c, false)) {
            return sh.unreachable(SshTarget.of(c), c.sshConnectionTimeout());
        }
    }

    /** {@link #unreachable(org.mha4j.config.ServerConfig)} on this shell: with kept sessions, the login stays for later commands. */
    public Optional<String> unreachable(SshTarget t, int connectTimeoutSeconds) {
        try {
            int rc = exec(t, "exit 0", Duration.ofSeconds(connectTimeoutSeconds + 5L)).exitCode();
            return rc == 0 ? Optional.empty() : Optional.of("exit " + rc);
        } catch (SshFailure e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * @param reuseSessions keep one authenticated session per host for the life of this shell (a failover runs several
     *                      commands and copies on each host); without it every command makes its own connection, which
     *                      is what a connectivity check must test and what many parallel commands to one sshd need
     */
    public RemoteShell(SshOptions opts, boolean reuseSessions) {
        this.opts = opts;
        this.reuseSessions = reuseSessions;
        this.client = SharedClient.get();
        this.identities = new FileKeyPairProvider(opts.identityFiles().stream().filter(Files::isReadable).toList());
        List<HostConfigEntry> config = SshConfigFile.entries(SshConfigFile.userFile());
        // the hosts' settings from ~/.ssh/config (HostName, Port, User, IdentityFile) from one immutable list: MINA's
        // default resolver shares lazily re-read state between threads, and concurrent logins lost the entry at random
        this.hosts = HostConfigEntry.toHostConfigEntryResolver(config);
        this.hostKeys = new HostKeyPolicy(opts, config);
    }

    /**
     * One MINA client for the whole process, whatever the ssh_options: a client has its own I/O and timer threads, and
     * mha serve watches many applications (a fleet whose applications name different keys had four threads each). Each
     * shell's identities and host-key policy ride on the connections it opens ({@link #SHELL}), so logins of different
     * shells never mix, and so does the ~/.ssh/config the shell read.
     */
    private static final class SharedClient {
        private static SshClient client;

        static synchronized SshClient get() {
            if (client != null) return client;
            SshClient c = SshClient.setUpDefaultClient();
            // one I/O thread (MINA's default is one per core, plus one): a manager's SSH traffic is a few commands and
            // binlog tails
            CoreModuleProperties.NIO_WORKERS.set(c, 1);
            c.setUserAuthFactoriesNames("publickey");
            c.setKeyIdentityProvider(session -> shellOf(session).identities.loadKeys(session));
            c.setHostConfigEntryResolver((host, port, local, user, proxyJump, context) ->
                    shellOf(context).hosts.resolveEffectiveHost(host, port, local, user, proxyJump, context));
            c.setServerKeyVerifier((session, remote, key) -> shellOf(session).hostKeys.verifyServerKey(session, remote, key));
            c.start();
            client = c;
            return c;
        }

        private static RemoteShell shellOf(org.apache.sshd.common.session.SessionContext session) {
            return shellOf(session instanceof ClientSession cs ? cs.getConnectionContext() : null);
        }

        private static RemoteShell shellOf(AttributeRepository context) {
            RemoteShell shell = context != null ? context.getAttribute(SHELL) : null;
            if (shell == null) throw new IllegalStateException("an SSH connection not opened by a RemoteShell");
            return shell;
        }
    }

    public ExecResult exec(SshTarget t, String command, Duration timeout) throws SshFailure {
        return exec(t, command, null, timeout);
    }

    /** @param stdin what the command reads on standard input (a password, never on its command line), or null */
    public ExecResult exec(SshTarget t, String command, String stdin, Duration timeout) throws SshFailure {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Run r = run(t, command, stdin == null ? null : new java.io.ByteArrayInputStream((stdin + "\n").getBytes(StandardCharsets.UTF_8)),
                out, timeout);
        return new ExecResult(r.exitCode(), out.toString(StandardCharsets.UTF_8), r.stderr());
    }

    /**
     * The host's files over SFTP, on this shell's session to it: binlogs and relay logs are read from here as from a
     * local directory ({@code java.nio.file} paths), so nothing but sshd has to run on the database host. Close it
     * when done; the session stays for the shell's other commands.
     */
    public java.nio.file.FileSystem files(SshTarget t) throws SshFailure {
        if (!reuseSessions) throw new IllegalStateException("files() needs a shell that keeps its sessions");
        try {
            return org.apache.sshd.sftp.client.SftpClientFactory.instance().createSftpFileSystem(session(t));
        } catch (IOException e) {
            throw new SshFailure(t, explain(e, t), e);
        }
    }

    /** Copies a remote file here, byte for byte (binlogs are binary). */
    public void download(SshTarget t, String remotePath, Path local, Duration timeout) throws SshFailure, IOException {
        Files.createDirectories(local.toAbsolutePath().getParent());
        try (java.io.OutputStream out = Files.newOutputStream(local)) {
            Run r = run(t, "cat " + quote(remotePath), null, out, timeout);
            if (r.exitCode() != 0) throw new IOException("copying " + t.host() + ":" + remotePath + " failed: " + r.stderr().strip());
        }
        verifySize(t, remotePath, Files.size(local), timeout);
    }

    /** Copies a local file to the remote host, creating the directory if needed. */
    public void upload(SshTarget t, Path local, String remotePath, Duration timeout) throws SshFailure, IOException {
        String dir = remotePath.contains("/") ? remotePath.substring(0, remotePath.lastIndexOf('/')) : ".";
        try (java.io.InputStream in = Files.newInputStream(local)) {
            Run r = run(t, "mkdir -p " + quote(dir) + " && cat > " + quote(remotePath), in, new ByteArrayOutputStream(), timeout);
            if (r.exitCode() != 0) throw new IOException("copying to " + t.host() + ":" + remotePath + " failed: " + r.stderr().strip());
        }
        verifySize(t, remotePath, Files.size(local), timeout);
    }

    /** A copy is whole when both ends hold the same number of bytes; SSH itself guards the content. */
    private void verifySize(SshTarget t, String remotePath, long expected, Duration timeout) throws SshFailure, IOException {
        ExecResult r = exec(t, "wc -c < " + quote(remotePath), timeout);
        if (r.exitCode() != 0 || !r.stdout().strip().equals(Long.toString(expected))) {
            throw new IOException("copy of " + t.host() + ":" + remotePath + " is incomplete: " + r.stdout().strip() + " bytes there, "
                    + expected + " here");
        }
    }

    /** Quotes a word for the remote POSIX shell. */
    public static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:,=@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private record Run(int exitCode, String stderr) {}

    private Run run(SshTarget t, String command, java.io.InputStream in, java.io.OutputStream out, Duration timeout) throws SshFailure {
        Duration connect = opts.connectTimeout();
        ClientSession fresh = null;
        try {
            ClientSession session = reuseSessions ? session(t) : (fresh = connect(t));
            try (ChannelExec ch = session.createExecChannel(command)) {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                if (in != null) ch.setIn(in);
                ch.setOut(out);
                ch.setErr(err);
                ch.open().verify(connect);
                Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
                if (!ev.contains(ClientChannelEvent.CLOSED)) {
                    throw new SshFailure(t, "`" + command + "` did not finish within " + timeout.toSeconds() + " s", null);
                }
                Integer code = ch.getExitStatus();
                return new Run(code == null ? -1 : code, err.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            if (reuseSessions) forget(t);  // a kept session that broke (the host rebooted, a half-open link) is made again next time
            throw new SshFailure(t, explain(e, t), e);
        } finally {
            if (fresh != null) closeQuietly(fresh);
        }
    }

    private synchronized void forget(SshTarget t) {
        ClientSession s = sessions.remove(key(t));
        if (s != null) closeQuietly(s);
    }

    private static String key(SshTarget t) {
        return t.user() + "@" + t.host() + ":" + t.port();
    }

    private ClientSession connect(SshTarget t) throws IOException {
        Duration connect = opts.connectTimeout();
        java.util.Map<AttributeRepository.AttributeKey<?>, Object> context = java.util.Map.of(HostKeyPolicy.TARGET, t, SHELL, this);
        ClientSession s = client.connect(t.user(), t.host(), t.port(), AttributeRepository.ofAttributesMap(context))
                .verify(connect).getSession();
        try {
            s.auth().verify(connect);
        } catch (IOException e) {
            closeQuietly(s);
            throw e;
        }
        return s;
    }

    private static void closeQuietly(ClientSession s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the command's outcome is known; a failed close changes nothing
        }
    }

    /**
     * One authenticated session per host for the life of this shell: a failover runs several commands and copies on
     * each host, and a handshake each time would cost more than the work.
     */
    private synchronized ClientSession session(SshTarget t) throws IOException {
        String key = key(t);
        ClientSession s = sessions.get(key);
        if (s != null && s.isOpen()) return s;
        s = connect(t);
        sessions.put(key, s);
        return s;
    }

    private String explain(IOException e, SshTarget t) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "connection refused — is sshd running on " + t.host() + ":" + t.port() + "? check ssh_host/ssh_port in the config";
            }
            if (c instanceof UnknownHostException) return "unknown host " + t.host() + " — check hostname/ssh_host in the config";
            if (c instanceof NoRouteToHostException) return "no route to host " + t.host();
            if (c instanceof SocketTimeoutException) return "connection timed out after " + opts.connectTimeout().toSeconds() + " s";
        }
        String m = String.valueOf(e.getMessage());
        String lower = m.toLowerCase();
        if (lower.contains("no more authentication methods") || lower.contains("auth")) {
            return "authentication rejected for user " + t.user() + " (keys offered: " + keys() + ") — is the public key in "
                    + t.user() + "'s authorized_keys on " + t.host() + "?";
        }
        Optional<HostKeyPolicy.Rejection> rejected = hostKeys.rejection(t);
        Path known = hostKeys.knownHosts(t.host());
        if (rejected.equals(Optional.of(HostKeyPolicy.Rejection.UNKNOWN))) {
            return "unknown host key: " + t.host() + ":" + t.port() + " is not in " + known + " and StrictHostKeyChecking is "
                    + hostKeys.checking(t.host()).name().toLowerCase(java.util.Locale.ROOT) + " — check the key, then add it: ssh-keyscan -p "
                    + t.port() + " " + t.host() + " >> " + known + " (or accept new hosts: -o StrictHostKeyChecking=accept-new in ssh_options)";
        }
        if (rejected.isPresent() || lower.contains("server key did not validate")) {
            return "host key rejected — the key of " + t.host() + ":" + t.port() + " differs from its entry in " + known
                    + ": if the host was rebuilt, remove the old entry (ssh-keygen -R); otherwise someone may be in between";
        }
        if (lower.contains("timeout") || lower.contains("timed out")) {
            return "timed out after " + opts.connectTimeout().toSeconds() + " s (ssh_connection_timeout)";
        }
        return m;
    }

    private String keys() {
        return opts.identityFiles().isEmpty() ? "none found" : opts.identityFiles().stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        synchronized (this) {
            sessions.values().forEach(RemoteShell::closeQuietly);
            sessions.clear();
        }
        // the client is the process's, shared with the other shells: it stays
    }
}
