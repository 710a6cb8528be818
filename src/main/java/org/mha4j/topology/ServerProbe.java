package org.mha4j.topology;

import java.util.Optional;
import org.mha4j.config.ServerConfig;

/** The outcome of looking at one configured server: its snapshot, or why it could not be read. */
public sealed interface ServerProbe {

    ServerConfig config();

    record Alive(ServerSnapshot snapshot) implements ServerProbe {
        @Override
        public ServerConfig config() {
            return snapshot.config();
        }
    }

    /** No connection: the server is down, or the config names the wrong host or port. */
    record Unreachable(ServerConfig config, ConnectFailure failure) implements ServerProbe {}

    /** Connected, but a statement failed (typically a missing privilege). */
    record Unreadable(ServerConfig config, String error) implements ServerProbe {}

    default Optional<ServerSnapshot> alive() {
        return this instanceof Alive a ? Optional.of(a.snapshot()) : Optional.empty();
    }

    default String label() {
        return ServerLabels.label(config());
    }
}
