package org.mha4j.coordination;

/**
 * {@code coordination=zookeeper://zk1:2181,zk2:2181,zk3:2181/mha4j}: ZooKeeper's connect string and the path under which
 * the managers keep their state (default {@code /mha4j}). The config loader checked the form.
 */
public record CoordinationUrl(String connectString, String path) {
    private static final String SCHEME = "zookeeper://";

    public static CoordinationUrl parse(String url) {
        String u = url.trim();
        if (!u.startsWith(SCHEME)) throw new IllegalArgumentException("coordination must start with " + SCHEME + ": " + url);
        String rest = u.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash).replaceAll("/+$", "");
        return new CoordinationUrl(hosts, path.isEmpty() ? "/mha4j" : path);
    }

    /** Curator's namespace: the path without its leading slash. */
    String namespace() {
        return path.substring(1);
    }

    @Override
    public String toString() {
        return SCHEME + connectString + path;
    }
}
