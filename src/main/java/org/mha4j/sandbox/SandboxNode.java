package org.mha4j.sandbox;

import java.nio.file.Path;

/** One mariadbd of a sandbox; everything it owns lives under {@code dir}. */
public record SandboxNode(int index, int port, int serverId, Path dir) {

    public Path datadir() { return dir.resolve("data"); }
    public Path binlogDir() { return dir.resolve("binlog"); }
    public Path tmpdir() { return dir.resolve("tmp"); }
    public Path socket() { return dir.resolve("mariadbd.sock"); }
    public Path pidFile() { return dir.resolve("mariadbd.pid"); }
    public Path errorLog() { return dir.resolve("error.log"); }
    public Path myCnf() { return dir.resolve("my.cnf"); }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    public String block() {
        return "server" + index;
    }
}
