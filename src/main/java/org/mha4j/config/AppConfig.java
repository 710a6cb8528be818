package org.mha4j.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One MHA application: the servers of one config file, sorted as MHA sorts them (config order is the tie-breaker
 * when choosing a new master).
 *
 * @param appName the file's base name without extension: {@code app1.conf} is application {@code app1}
 */
public record AppConfig(Path file, Optional<Path> globalFile, String appName, List<ServerConfig> servers) {

    public AppConfig {
        servers = List.copyOf(servers);
    }

    /** MHA reads application-wide settings (manager_workdir, manager_log, log_level, ...) from the first server. */
    public ServerConfig first() {
        return servers.getFirst();
    }

    /** The server a command names by host (hostname or ip) and, when given, port. */
    public Optional<ServerConfig> find(String host, Optional<Integer> port) {
        return servers.stream().filter(s -> (s.hostname().equalsIgnoreCase(host) || s.ip().equalsIgnoreCase(host))
                && port.map(p -> p == s.port()).orElse(true)).findFirst();
    }

    public Optional<ServerConfig> find(String host, int port) {
        return find(host, Optional.of(port));
    }

    /** The effective settings per server, as the manager would use them; passwords masked. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("# application ").append(appName).append(" from ").append(file);
        globalFile.ifPresent(g -> sb.append(" (global defaults: ").append(g).append(')'));
        sb.append('\n');
        for (ServerConfig s : servers) {
            sb.append('[').append(s.block()).append("]  # line ").append(s.line()).append('\n');
            for (Parameter p : Parameter.values()) {
                Optional<String> v = s.get(p);
                if (v.isEmpty()) continue;
                String shown = p.kind() == Parameter.Kind.SECRET ? new Secret(v.get()).toString() : v.get();
                sb.append(p.key()).append('=').append(shown)
                        .append(s.values().containsKey(p) ? "" : "  # default").append('\n');
            }
        }
        return sb.toString();
    }
}
