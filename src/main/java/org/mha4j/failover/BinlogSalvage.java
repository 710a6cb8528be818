package org.mha4j.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mha4j.config.ServerConfig;
import org.mha4j.ssh.ExecResult;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.ssh.SshFailure;
import org.mha4j.ssh.SshTarget;
import org.mha4j.topology.Flavor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves, over SSH, the transactions of the dead master's binary log that no replica received, and applies them to
 * the new master with their original GTIDs. This is what keeps a failover lossless after the master fell back to
 * asynchronous replication, as long as its host still answers.
 */
final class BinlogSalvage {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private BinlogSalvage() {}

    /**
     * @param after what the latest replica received: MariaDB position (exclusive start) or MySQL GTID set (excluded)
     * @return the saved SQL on the manager host, or empty when there was nothing to save
     */
    static Optional<Path> save(ServerConfig dead, Flavor flavor, String after, RemoteShell sh, Path workdir) throws SshFailure, IOException {
        SshTarget t = SshTarget.of(dead);
        List<String> files = binlogFiles(dead, sh, t);
        if (files.isEmpty()) throw new IOException("no binary log index found in master_binlog_dir=" + dead.masterBinlogDir() + " on " + dead.sshHost());
        String bindir = dead.clientBindir().map(d -> d + "/").orElse("");
        String cmd = flavor == Flavor.MARIADB
                ? bindir + "mariadb-binlog --no-defaults" + (after.isBlank() ? "" : " --start-position=" + q(after))
                : bindir + "mysqlbinlog --no-defaults" + (after.isBlank() ? "" : " --exclude-gtids=" + q(after));
        cmd += " " + String.join(" ", files.stream().map(BinlogSalvage::q).toList());
        log.info("Saving the dead master's binlog events after {} on {}: {}", after.isBlank() ? "the start" : after, dead.sshHost(), cmd);
        ExecResult r = sh.exec(t, cmd, Duration.ofMinutes(10));
        if (r.exitCode() != 0) throw new IOException("binlog dump failed (" + r.exitCode() + "): " + r.stderr().strip());
        if (!r.stdout().contains("GTID ") && !r.stdout().contains("gtid_seq_no") && !r.stdout().contains("GTID_NEXT")) {
            log.info("No transaction in the dead master's binlog beyond what the replicas received.");
            return Optional.empty();
        }
        String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        Path out = workdir.resolve("saved_master_binlog_from_" + dead.hostname() + "_" + dead.port() + "_" + ts + ".sql");
        Files.createDirectories(workdir);
        Files.writeString(out, r.stdout());
        log.info("Saved {} bytes of binlog events to {}.", r.stdout().length(), out);
        return Optional.of(out);
    }

    private static List<String> binlogFiles(ServerConfig dead, RemoteShell sh, SshTarget t) throws SshFailure {
        for (String dir : dead.masterBinlogDir().split(",")) {
            if (dir.isBlank()) continue;
            ExecResult r = sh.exec(t, "cat " + q(dir) + "/*.index 2>/dev/null", Duration.ofSeconds(30));
            List<String> files = new ArrayList<>();
            for (String line : r.stdout().split("\n")) {
                String f = line.strip();
                if (f.isEmpty()) continue;
                files.add(f.startsWith("/") ? f : dir + "/" + Path.of(f).getFileName());
            }
            if (!files.isEmpty()) return files;
        }
        return List.of();
    }

    /** Pipes the saved events into the new master with the client program; the password goes in a mode-600 file. */
    static void apply(Path saved, ServerConfig newMaster, Flavor flavor) throws IOException, InterruptedException {
        Path cnf = Files.createTempFile(saved.getParent(), "apply-", ".cnf",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(cnf, "[client]\nuser=" + newMaster.user() + "\npassword=\"" + newMaster.password().reveal()
                    .replace("\\", "\\\\").replace("\"", "\\\"") + "\"\nhost=" + newMaster.ip() + "\nport=" + newMaster.port() + "\n");
            String client = newMaster.clientBindir().map(d -> d + "/").orElse("") + (flavor == Flavor.MARIADB ? "mariadb" : "mysql");
            Process p = new ProcessBuilder(client, "--defaults-file=" + cnf, "--binary-mode")
                    .redirectInput(saved.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("applying " + saved + " to " + newMaster.id() + " failed: " + out.strip());
            }
            log.info("Applied the saved binlog events to {}.", newMaster.id());
        } finally {
            Files.deleteIfExists(cnf);
        }
    }

    private static String q(String s) {
        return s.matches("[A-Za-z0-9_./:,=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
