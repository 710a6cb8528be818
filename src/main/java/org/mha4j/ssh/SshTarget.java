package org.mha4j.ssh;

/** A host to reach over SSH, named after its config block. */
public record SshTarget(String name, String host, int port, String user) {
    /** The host of a {@code [serverN]} block: ssh_host (or hostname), ssh_port, ssh_user. */
    public static SshTarget of(org.mha4j.config.ServerConfig c) {
        return new SshTarget(c.block(), c.sshHost(), c.sshPort(), c.sshUser());
    }

    /** "server2 (root@10.1.1.20:22)" */
    public String display() {
        return name + " (" + user + "@" + host + ":" + port + ")";
    }
}
