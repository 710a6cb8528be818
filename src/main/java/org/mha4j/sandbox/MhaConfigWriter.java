package org.mha4j.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** Writes the sandbox's MHA-format config, laid out like the seed's app1.conf. Mode 600: it holds passwords, as MHA configs do. */
final class MhaConfigWriter {
    private MhaConfigWriter() {}

    static void write(Path file, Sandbox sb, Optional<LocalSshd> sshd) {
        Path dir = sb.dir();
        StringBuilder c = new StringBuilder();
        c.append("# MHA4J sandbox: ").append(sb.nodes().size()).append(" MariaDB servers on 127.0.0.1, written by `mha sandbox up`.\n")
                .append("[server default]\n")
                .append("user=").append(Sandbox.ADMIN_USER).append('\n')
                .append("password=").append(sb.adminPassword()).append('\n')
                .append("repl_user=").append(Sandbox.REPL_USER).append('\n')
                .append("repl_password=").append(sb.replPassword()).append('\n')
                .append("ssh_user=").append(System.getProperty("user.name")).append('\n');
        sshd.ifPresent(s -> c.append("ssh_port=").append(s.port()).append('\n')
                .append("ssh_options=\"").append(s.sshOptions()).append("\"\n"));
        c.append("ping_interval=1\n")
                .append("manager_workdir=").append(dir.resolve("manager")).append('\n')
                .append("manager_log=").append(dir.resolve("manager").resolve("app1.log")).append('\n')
                .append("remote_workdir=").append(dir.resolve("remote")).append('\n')
                .append("# MHA4J additions: semi-sync is managed (on) with this timeout in milliseconds\n")
                .append("semi_sync=on\n")
                .append("semi_sync_timeout=").append(Sandbox.SEMI_SYNC_TIMEOUT_MS).append('\n');
        for (SandboxNode n : sb.nodes()) {
            c.append('[').append(n.block()).append("]\n")
                    .append("hostname=127.0.0.1\n")
                    .append("port=").append(n.port()).append('\n')
                    .append("candidate_master=1\n")
                    .append("master_binlog_dir=").append(n.binlogDir()).append('\n')
                    .append("master_pid_file=").append(n.pidFile()).append('\n');
            sb.configLines().forEach(l -> c.append(l).append('\n'));
        }
        try {
            Files.createDirectories(dir.resolve("manager"));
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
