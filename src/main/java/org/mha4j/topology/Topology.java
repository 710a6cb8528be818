package org.mha4j.topology;

import java.util.List;
import java.util.Optional;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;

/** One look at every server of an application, in config order. */
public record Topology(AppConfig config, List<ServerProbe> probes) {

    public List<ServerSnapshot> alive() {
        return probes.stream().flatMap(p -> p.alive().stream()).toList();
    }

    public List<ServerProbe> notAlive() {
        return probes.stream().filter(p -> p.alive().isEmpty()).toList();
    }

    public Optional<ServerProbe> probe(ServerConfig server) {
        return probes.stream().filter(p -> p.config().equals(server)).findFirst();
    }

    /** The configured server a replica's Master_Host/Master_Port designate, matched by hostname or ip. */
    public Optional<ServerConfig> serverAt(String host, int port) {
        return config.servers().stream()
                .filter(s -> s.port() == port && (s.hostname().equalsIgnoreCase(host) || s.ip().equalsIgnoreCase(host)))
                .findFirst();
    }
}
