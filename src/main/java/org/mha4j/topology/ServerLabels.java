package org.mha4j.topology;

import org.mha4j.config.ServerConfig;

/** One spelling of a server's name for every message, so operators can grep for it. */
public final class ServerLabels {
    private ServerLabels() {}

    /** "server2 (10.1.1.20:3306)", or with MHA's node_label set, "db-east-2 (10.1.1.20:3306)". */
    public static String label(ServerConfig c) {
        return c.nodeLabel().filter(l -> !l.isBlank()).orElse(c.block()) + " (" + c.hostname() + ":" + c.port() + ")";
    }
}
