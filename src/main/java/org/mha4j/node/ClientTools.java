package org.mha4j.node;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mha4j.ssh.RemoteShell;
import java.util.concurrent.TimeUnit;

/**
 * The server's client programs that read a binlog ({@code mariadb-binlog} / {@code mysqlbinlog}) and feed SQL to a server
 * ({@code mariadb} / {@code mysql}), found in {@code client_bindir} or the PATH. The password reaches the client in a
 * mode-600 defaults file that is deleted afterwards, never on a command line.
 */
public final class ClientTools {
    private final Path binlogTool;
    private final Path client;

    private ClientTools(Path binlogTool, Path client) {
        this.binlogTool = binlogTool;
        this.client = client;
    }

    /** Prefers MariaDB's names, then MySQL's, in {@code bindir} if given, else in the PATH. */
    public static ClientTools find(Optional<String> bindir) throws NodeException {
        List<Path> dirs = bindir.filter(d -> !d.isBlank()).map(d -> List.of(Path.of(d))).orElseGet(ClientTools::path);
        Path binlog = first(dirs, "mariadb-binlog", "mysqlbinlog").orElseThrow(() -> new NodeException(
                "neither mariadb-binlog nor mysqlbinlog found in " + where(bindir) + ": install the MariaDB/MySQL client or set client_bindir"));
        Path client = first(dirs, "mariadb", "mysql").orElseThrow(() -> new NodeException(
                "neither mariadb nor mysql (the command-line client) found in " + where(bindir) + ": install it or set client_bindir"));
        return new ClientTools(binlog, client);
    }

    private static String where(Optional<String> bindir) {
        return bindir.map(d -> "client_bindir " + d).orElse("the PATH (" + System.getenv("PATH") + ")");
    }

    private static List<Path> path() {
        String p = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        List<Path> out = new ArrayList<>();
        for (String d : p.split(File.pathSeparator)) if (!d.isBlank()) out.add(Path.of(d));
        return out;
    }

    private static Optional<Path> first(List<Path> dirs, String... names) {
        for (String n : names) {
            for (Path d : dirs) {
                Path c = d.resolve(n);
                if (Files.isExecutable(c)) return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public Path binlogTool() {
        return binlogTool;
    }

    public Path client() {
        return client;
    }

    /** Connection settings for the client; the password is written only to the defaults file. */
    public record Login(String host, int port, String user, String password) {
        /** A client option file with the login: the password in a file readable by its owner only, never on a command line. */
        public String optionFile() {
            return "[client]\nuser=" + user + "\npassword=\"" + password.replace("\\", "\\\\").replace("\"", "\\\"")
                    + "\"\nhost=" + host + "\nport=" + port + "\n";
        }
    }

    /**
     * The shell script that applies a raw binlog on a database host with that host's own client programs (MariaDB's
     * names first, then MySQL's; in {@code bindir} when given): {@code mariadb-binlog FILE | mariadb --binary-mode}.
     * It reads the client option file ({@link Login#optionFile}) on its standard input, keeps it in a file only its
     * owner can read for the time of the apply, and exits 0, or 3 when the binlog tool failed (its error on stderr),
     * or the client's exit code.
     */
    public static String remoteApplyScript(String rawBinlog, Optional<String> bindir, Optional<String> libdir, boolean disableLogBin) {
        return remoteApplyScript(rawBinlog, bindir, libdir, disableLogBin, false);
    }

    /** @param flashback undo the events instead (MariaDB's mariadb-binlog --flashback, row-based events) */
    public static String remoteApplyScript(String rawBinlog, Optional<String> bindir, Optional<String> libdir, boolean disableLogBin,
                                           boolean flashback) {
        String f = RemoteShell.quote(rawBinlog);
        // client_libdir: MHA runs the client programs with it as their library path
        String libs = libdir.filter(d -> !d.isBlank())
                .map(d -> "LD_LIBRARY_PATH=" + RemoteShell.quote(d) + "${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}; export LD_LIBRARY_PATH\n").orElse("");
        return lookup(bindir) + libs
                + "umask 077; CNF=" + f + ".cnf; ERR=" + f + ".err; RC=" + f + ".rc\n"
                + "cat > \"$CNF\" || exit 1\n"
                + "{ \"$B\" --no-defaults" + (disableLogBin ? " --disable-log-bin" : "") + (flashback ? " --flashback" : "") + " " + f + " 2>\"$ERR\"; echo $? > \"$RC\"; }"
                + " | \"$C\" --defaults-file=\"$CNF\" --binary-mode --max-allowed-packet=1G\n"
                + "rc=$?; d=$(cat \"$RC\"); rm -f \"$CNF\" \"$RC\"\n"
                + "if [ \"$d\" != 0 ]; then echo \"$B failed (exit $d):\" >&2; tail -20 \"$ERR\" >&2; rm -f \"$ERR\"; exit 3; fi\n"
                + "rm -f \"$ERR\"; exit $rc\n";
    }

    /**
     * Applies (or, with {@code flashback}, undoes) the raw binlog {@code remote}, already on {@code c}'s host, with that
     * host's client programs logged in as the config's user (the password on the script's stdin, never on a command
     * line), then removes the file there.
     */
    public static org.mha4j.ssh.ExecResult applyOnHost(RemoteShell sh, org.mha4j.config.ServerConfig c, String remote,
                                                       boolean disableLogBin, boolean flashback, java.time.Duration timeout)
            throws org.mha4j.ssh.SshFailure {
        org.mha4j.ssh.SshTarget host = org.mha4j.ssh.SshTarget.of(c);
        String login = new Login(c.ip(), c.port(), c.user(), c.password().reveal()).optionFile();
        try {
            return sh.exec(host, remoteApplyScript(remote, c.clientBindir(), c.clientLibdir(), disableLogBin, flashback), login, timeout);
        } finally {
            sh.exec(host, "rm -f " + RemoteShell.quote(remote), java.time.Duration.ofSeconds(30));
        }
    }

    /** Whether the client programs are there, as {@link #remoteApplyScript} finds them: prints them, or exits 4. */
    public static String remoteLookupScript(Optional<String> bindir) {
        return lookup(bindir) + "echo \"$B $C\"\n";
    }

    /** Sets B (the binlog tool) and C (the client), MariaDB's names first, or exits 4 saying which is missing. */
    private static String lookup(Optional<String> bindir) {
        String pick = bindir.filter(d -> !d.isBlank())
                .map(d -> "pick() { for n in \"$@\"; do [ -x " + RemoteShell.quote(d) + "/$n ] && { echo " + RemoteShell.quote(d) + "/$n; return; }; done; }")
                .orElse("pick() { for n in \"$@\"; do command -v $n && return; done; }");
        return pick + "\n"
                + "B=$(pick mariadb-binlog mysqlbinlog); C=$(pick mariadb mysql)\n"
                + "[ -n \"$B\" ] || { echo 'neither mariadb-binlog nor mysqlbinlog found" + remoteWhere(bindir) + "' >&2; exit 4; }\n"
                + "[ -n \"$C\" ] || { echo 'neither mariadb nor mysql (the client) found" + remoteWhere(bindir) + "' >&2; exit 4; }\n";
    }

    private static String remoteWhere(Optional<String> bindir) {
        return bindir.filter(d -> !d.isBlank()).map(d -> " in client_bindir " + d).orElse(" in the PATH of the SSH session");
    }

    /**
     * Applies a raw binlog to a server: {@code mariadb-binlog FILE | mariadb --binary-mode}, one stream, so a
     * transaction that spans the files merged into it is applied whole.
     *
     * @return the client's output
     */
    public String applyBinlog(Path rawBinlog, Login to, boolean disableLogBin, Path workdir) throws IOException, NodeException {
        List<String> dump = new ArrayList<>(List.of(binlogTool.toString(), "--no-defaults"));
        if (disableLogBin) dump.add("--disable-log-bin");
        dump.add(rawBinlog.toString());
        return pipe(dump, to, workdir);
    }

    private String pipe(List<String> producer, Login to, Path workdir) throws IOException, NodeException {
        Files.createDirectories(workdir);
        Path cnf = Files.createTempFile(workdir, "mha-client-", ".cnf",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Path err = Files.createTempFile(workdir, "mha-dump-", ".err");
        try {
            Files.writeString(cnf, to.optionFile());
            ProcessBuilder consumer = new ProcessBuilder(client.toString(), "--defaults-file=" + cnf, "--binary-mode",
                    "--max-allowed-packet=1G").redirectErrorStream(true);
            List<Process> ps = ProcessBuilder.startPipeline(List.of(new ProcessBuilder(producer).redirectError(err.toFile()), consumer));
            Process first = ps.getFirst();
            Process last = ps.getLast();
            String out = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!last.waitFor(30, TimeUnit.MINUTES)) {
                    last.destroyForcibly();
                    throw new NodeException("applying to " + to.host() + ":" + to.port() + " did not finish within 30 minutes");
                }
                first.waitFor(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeException("interrupted while applying to " + to.host() + ":" + to.port());
            }
            String dumpErr = Files.readString(err).strip();
            if (first.exitValue() != 0) {
                throw new NodeException(binlogTool.getFileName() + " failed (exit " + first.exitValue() + "): " + tail(dumpErr));
            }
            if (last.exitValue() != 0) {
                throw new NodeException("applying to " + to.host() + ":" + to.port() + " failed (" + client.getFileName() + " exit "
                        + last.exitValue() + "): " + tail(out));
            }
            return out;
        } finally {
            Files.deleteIfExists(cnf);
            Files.deleteIfExists(err);
        }
    }

    private static String tail(String s) {
        String[] lines = s.strip().split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 20), lines.length));
    }
}
