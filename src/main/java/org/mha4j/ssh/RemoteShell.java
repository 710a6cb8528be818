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
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * Runs commands on hosts over SSH with Apache MINA SSHD: key login only, with the identities and known_hosts
 * named in {@link SshOptions} (never whatever ~/.ssh happens to hold), every wait bounded.
 */
public final class RemoteShell implements AutoCloseable {
    private final SshClient client;
    private final SshOptions opts;

    public RemoteShell(SshOptions opts) {
        this.opts = opts;
        this.client = SshClient.setUpDefaultClient();
        client.setKeyIdentityProvider(new FileKeyPairProvider(opts.identityFiles().stream().filter(Files::isReadable).toList()));
        client.setUserAuthFactoriesNames("publickey");
        client.setServerKeyVerifier(verifier(opts));
        client.start();
    }

    private static ServerKeyVerifier verifier(SshOptions o) {
        ServerKeyVerifier unknownHosts = o.strictHostKeyChecking() ? RejectAllServerKeyVerifier.INSTANCE : AcceptAllServerKeyVerifier.INSTANCE;
        // A host that is in known_hosts with another key is refused either way: that is what a man-in-the-middle looks like.
        return o.knownHosts().filter(Files::isReadable)
                .<ServerKeyVerifier>map(k -> new KnownHostsServerKeyVerifier(unknownHosts, k))
                .orElse(unknownHosts);
    }

    public ExecResult exec(SshTarget t, String command, Duration timeout) throws SshFailure {
        Duration connect = opts.connectTimeout();
        try (ClientSession session = client.connect(t.user(), t.host(), t.port()).verify(connect).getSession()) {
            session.auth().verify(connect);
            try (ChannelExec ch = session.createExecChannel(command)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                ch.setOut(out);
                ch.setErr(err);
                ch.open().verify(connect);
                Set<ClientChannelEvent> ev = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
                if (!ev.contains(ClientChannelEvent.CLOSED)) {
                    throw new SshFailure(t, "`" + command + "` did not finish within " + timeout.toSeconds() + " s", null);
                }
                Integer code = ch.getExitStatus();
                return new ExecResult(code == null ? -1 : code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new SshFailure(t, explain(e, t), e);
        }
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
        if (lower.contains("server key did not validate") || lower.contains("key")) {
            return "host key rejected (" + m + ") — the key differs from known_hosts"
                    + opts.knownHosts().map(k -> " (" + k + ")").orElse("") + ": if the host was rebuilt, remove its old entry";
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
        client.stop();
    }
}
