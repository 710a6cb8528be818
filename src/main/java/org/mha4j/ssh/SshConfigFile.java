package org.mha4j.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's {@code ~/.ssh/config}, read with Apache MINA SSHD's parser into an immutable list, read again only when the
 * file changed. Every login of every thread resolves its host from the same list: MINA's default resolver re-reads the
 * file lazily from shared state, and under concurrent logins some of them saw no entry (a key named only in the config
 * file was then not offered, at random).
 */
final class SshConfigFile {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private static Path cachedFile;
    private static FileTime cachedTime;
    private static List<HostConfigEntry> cached = List.of();

    private SshConfigFile() {}

    static Path userFile() {
        return Path.of(System.getProperty("user.home"), ".ssh", "config");
    }

    /** The entries of {@code file}; none when it does not exist or cannot be parsed (said once in the log). */
    static synchronized List<HostConfigEntry> entries(Path file) {
        try {
            if (!Files.isRegularFile(file)) return List.of();
            FileTime t = Files.getLastModifiedTime(file);
            if (file.equals(cachedFile) && t.equals(cachedTime)) return cached;
            cached = List.copyOf(HostConfigEntry.readHostConfigEntries(file));
            cachedFile = file;
            cachedTime = t;
            return cached;
        } catch (IOException | RuntimeException e) {
            log.warn("{} cannot be read ({}); SSH goes on without it.", file, e.getMessage());
            return List.of();
        }
    }

    /** A setting for {@code host}: the first value given by an entry whose Host pattern matches, as OpenSSH takes it. */
    static Optional<String> value(List<HostConfigEntry> entries, String host, String key) {
        for (HostConfigEntry e : HostConfigEntry.findMatchingEntries(host, entries)) {
            String v = e.getProperty(key);
            if (v != null && !v.isBlank()) return Optional.of(v.strip());
        }
        return Optional.empty();
    }
}
