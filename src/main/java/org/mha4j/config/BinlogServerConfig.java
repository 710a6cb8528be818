package org.mha4j.config;

/** A {@code [binlogN]} block: a binlog server MHA's GTID failover may fetch missing events from. */
public record BinlogServerConfig(String block, int line, String hostname, String ip, int port, String masterBinlogDir,
                                 String sshHost, int sshPort, String sshUser) {
}
