package org.mha4j.ssh;

/** A host to reach over SSH, named after its config block. */
public record SshTarget(String name, String host, int port, String user) {
    /** "server2 (root@10.1.1.20:22)" */
    public String display() {
        return name + " (" + user + "@" + host + ":" + port + ")";
    }
}
