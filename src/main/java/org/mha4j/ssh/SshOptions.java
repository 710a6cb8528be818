package org.mha4j.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to log in: MHA's {@code ssh_options} string (passed verbatim to OpenSSH on the database hosts) and what MHA4J's
 * own client takes from it ({@code -i}, {@code IdentityFile}, {@code UserKnownHostsFile}, {@code StrictHostKeyChecking}).
 *
 * @param knownHosts            UserKnownHostsFile, when ssh_options names it
 * @param strictHostKeyChecking StrictHostKeyChecking as ssh_options gives it (yes, accept-new, no, ...), when it does
 */
public record SshOptions(List<Path> identityFiles, Optional<Path> knownHosts, Optional<String> strictHostKeyChecking,
                         Duration connectTimeout, String rawOptions) {

    public static SshOptions fromMhaOptions(String sshOptions, int connectTimeoutSeconds) {
        String raw = sshOptions == null ? "" : sshOptions.strip();
        List<Path> ids = new ArrayList<>();
        Optional<Path> known = Optional.empty();
        Optional<String> strict = Optional.empty();
        String[] t = raw.isEmpty() ? new String[0] : raw.split("\\s+");
        for (int i = 0; i < t.length; i++) {
            String opt = null;
            if (t[i].equals("-i") && i + 1 < t.length) {
                ids.add(Path.of(t[++i]));
            } else if (t[i].startsWith("-i") && t[i].length() > 2) {
                ids.add(Path.of(t[i].substring(2)));
            } else if (t[i].equals("-o") && i + 1 < t.length) {
                opt = t[++i];
            } else if (t[i].startsWith("-o") && t[i].length() > 2) {
                opt = t[i].substring(2);
            }
            if (opt == null) continue;
            String[] kv = opt.split("[= ]", 2);
            if (kv.length < 2) continue;
            switch (kv[0].toLowerCase()) {
                case "identityfile" -> ids.add(Path.of(kv[1]));
                case "userknownhostsfile" -> known = Optional.of(Path.of(kv[1]));
                case "stricthostkeychecking" -> strict = Optional.of(kv[1]);
                default -> { }
            }
        }
        Path home = Path.of(System.getProperty("user.home"), ".ssh");
        if (ids.isEmpty()) {
            for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                if (Files.isReadable(home.resolve(n))) ids.add(home.resolve(n));
            }
        }
        return new SshOptions(List.copyOf(ids), known, strict, Duration.ofSeconds(connectTimeoutSeconds), raw);
    }
}
