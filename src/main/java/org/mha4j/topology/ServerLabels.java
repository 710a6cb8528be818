package org.mha4j.topology;

import org.mha4j.config.ServerConfig;

/** One spelling of a server's name for every message, so operators can grep for it. */
public final class ServerLabels {
    private ServerLabels() {}

    public static String label(ServerConfig c) {
        return c.block() + " (" + c.hostname() + ":" + c.port() + ")";
    }
}
