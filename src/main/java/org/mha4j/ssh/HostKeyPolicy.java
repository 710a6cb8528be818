package org.mha4j.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;

/**
 * Host keys checked as OpenSSH checks them, with the same settings: {@code StrictHostKeyChecking} and
 * {@code UserKnownHostsFile} from ssh_options first, then from {@code ~/.ssh/config}, then OpenSSH's defaults
 * ({@code ~/.ssh/known_hosts}, and a host that is not in it refused, as OpenSSH does in batch mode). {@code accept-new}
 * (or {@code no}) accepts a host not yet known and adds it to the file; a host whose key differs from the file's is
 * refused whatever the setting: that is what a man-in-the-middle looks like. Why a key was refused is kept per host,
 * so that the error says "unknown host key" or "the key differs".
 */
final class HostKeyPolicy implements ServerKeyVerifier {
    /** The target a session was opened for, attached when connecting. */
    static final AttributeRepository.AttributeKey<SshTarget> TARGET = new AttributeRepository.AttributeKey<>();

    enum Checking {
        /** yes, ask: a host not in known_hosts is refused. */
        STRICT,
        /** accept-new, no, off: a host not in known_hosts is accepted and added to it. */
        ACCEPT_NEW;

        static Checking of(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "no", "off", "accept-new", "false" -> ACCEPT_NEW;
                default -> STRICT;
            };
        }
    }

    /** Why a host's key was refused. */
    enum Rejection { UNKNOWN, CHANGED }

    private final SshOptions opts;
    private final List<HostConfigEntry> config;
    private final Map<String, ServerKeyVerifier> verifiers = new ConcurrentHashMap<>();
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();

    HostKeyPolicy(SshOptions opts, List<HostConfigEntry> config) {
        this.opts = opts;
        this.config = config;
    }

    Checking checking(String host) {
        return Checking.of(opts.strictHostKeyChecking().or(() -> SshConfigFile.value(config, host, "StrictHostKeyChecking")).orElse("ask"));
    }

    Path knownHosts(String host) {
        return opts.knownHosts().or(() -> SshConfigFile.value(config, host, "UserKnownHostsFile").map(v -> v.split("\\s+")[0])
                .map(HostKeyPolicy::expandHome)).orElse(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }

    /** The last refusal of {@code t}'s host key by this policy, if any. */
    Optional<Rejection> rejection(SshTarget t) {
        return Optional.ofNullable(rejections.get(key(t)));
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        SshTarget t = target(session);
        String host = t != null ? t.host() : String.valueOf(remote);
        Checking c = checking(host);
        Path file = knownHosts(host);
        ServerKeyVerifier v = verifiers.computeIfAbsent(file + "|" + c, k -> new Recording(c, file));
        if (t != null) rejections.remove(key(t));
        return v.verifyServerKey(session, remote, key);
    }

    /** The target the session was opened for (attached when connecting), or null. */
    private static SshTarget target(ClientSession session) {
        return Optional.ofNullable(session.getConnectionContext()).map(c -> c.getAttribute(TARGET)).orElse(null);
    }

    private static String key(SshTarget t) {
        return t.host() + ":" + t.port();
    }

    private static Path expandHome(String p) {
        return p.startsWith("~/") ? Path.of(System.getProperty("user.home"), p.substring(2)) : Path.of(p);
    }

    /** MINA's known_hosts verifier, noting why it refused. */
    private final class Recording extends KnownHostsServerKeyVerifier {
        Recording(Checking c, Path file) {
            super(c == Checking.STRICT ? RejectAllServerKeyVerifier.INSTANCE : AcceptAllServerKeyVerifier.INSTANCE, file);
        }

        @Override
        protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
            boolean ok = super.acceptUnknownHostKey(session, remote, key);
            if (!ok) note(session, Rejection.UNKNOWN);
            return ok;
        }

        @Override
        public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry, PublicKey expected,
                                               PublicKey actual) {
            note(session, Rejection.CHANGED);
            return false;
        }

        private void note(ClientSession session, Rejection r) {
            SshTarget t = target(session);
            if (t != null) rejections.put(key(t), r);
        }
    }
}
