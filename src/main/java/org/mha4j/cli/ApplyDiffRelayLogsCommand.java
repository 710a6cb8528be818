package org.mha4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mha4j.node.BinlogSeries;
import org.mha4j.node.ClientTools;
import org.mha4j.node.DiffApplier;
import org.mha4j.node.NodeException;
import org.mha4j.node.RelayDiff;
import org.mha4j.topology.BinlogPosition;
import org.mha4j.topology.Db;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply_diff_relay_logs", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Finds, generates and applies relay-log differences (MHA Node).",
                "  find      is master position --target_mlf:--target_rmlp in these relay logs?",
                "  generate  write the events after it to --diff_file_readtolatest",
                "  apply     merge --apply_files, apply with mariadb-binlog | mariadb",
                "  test      relay logs readable, client programs found, login works",
                "Password: --slave_pass_stdin reads the first line of standard input",
                "(--slave_pass works too, but shows it in ps).",
                "Exit codes: 0 done, 12 the target position is not in the relay logs, 1 other errors."})
public final class ApplyDiffRelayLogsCommand implements Callable<Integer> {
    @Option(names = "--command", required = true, paramLabel = "test|find|generate|apply")
    String command;
    @Option(names = "--relay_dir", paramLabel = "DIR")
    Path relayDir;
    @Option(names = "--current_relay_log", paramLabel = "FILE", description = "The newest relay log (Relay_Log_File).")
    String currentRelayLog;
    @Option(names = "--relay_log_info", paramLabel = "FILE", description = "relay-log.info, instead of --relay_dir/--current_relay_log.")
    Path relayLogInfo;
    @Option(names = "--server_id", paramLabel = "ID", description = "server_id of this host's server (whose relay logs these are).")
    long serverId;
    @Option(names = "--latest_mlf", paramLabel = "FILE")
    String latestMlf;
    @Option(names = "--latest_rmlp", paramLabel = "POS")
    long latestRmlp;
    @Option(names = "--target_mlf", paramLabel = "FILE")
    String targetMlf;
    @Option(names = "--target_rmlp", paramLabel = "POS")
    long targetRmlp;
    @Option(names = "--diff_file_readtolatest", paramLabel = "FILE")
    Path diffFile;
    @Option(names = "--apply_files", split = ",", paramLabel = "FILE[,FILE..]")
    List<Path> applyFiles;
    @Option(names = "--slave_user", defaultValue = "root", paramLabel = "USER")
    String slaveUser;
    @Option(names = "--slave_pass", paramLabel = "PASSWORD", description = "Visible in ps: prefer --slave_pass_stdin.")
    String slavePass;
    @Option(names = "--slave_pass_stdin", description = "Read the password from the first line of standard input.")
    boolean slavePassStdin;
    @Option(names = {"--slave_host", "--slave_ip"}, defaultValue = "127.0.0.1", paramLabel = "HOST")
    String slaveHost;
    @Option(names = "--slave_port", defaultValue = "3306", paramLabel = "PORT")
    int slavePort;
    @Option(names = "--disable_log_bin", defaultValue = "0", paramLabel = "0|1", description = "Apply without writing the binary log.")
    int disableLogBin;
    @Option(names = "--workdir", defaultValue = "/var/tmp", paramLabel = "DIR")
    Path workdir;
    @Option(names = "--client_bindir", paramLabel = "DIR")
    String clientBindir;
    @Option(names = {"--target_version", "--handle_raw_binlog", "--timestamp", "--ssh_options", "--client_libdir", "--manager_version",
            "--scp_user", "--scp_host", "--scp_port"}, hidden = true, paramLabel = "V", description = "MHA options without effect here.")
    String[] ignored;
    @Option(names = "--debug", hidden = true)
    boolean debug;

    @Override
    public Integer call() {
        try {
            return switch (command) {
                case "test" -> test();
                case "find" -> find();
                case "generate" -> generate();
                case "apply" -> apply();
                case "generate_and_send" -> NodeOutput.error("--command=generate_and_send is not supported: use --command=generate;"
                        + " the MHA4J manager copies the file to the target itself");
                default -> NodeOutput.error("--command must be test, find, generate or apply, not " + command);
            };
        } catch (org.mha4j.node.RelayPositionNotFound e) {
            NodeOutput.error(e);
            return org.mha4j.node.RelayPositionNotFound.EXIT_CODE;
        } catch (Exception e) {
            return NodeOutput.error(e);
        }
    }

    private List<Path> relayLogs() throws IOException, NodeException {
        Path dir = relayDir;
        String current = currentRelayLog;
        if (relayLogInfo != null) {
            Optional<String> name = Files.readAllLines(relayLogInfo).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.matches("\\d+")).findFirst();
            if (name.isEmpty()) throw new NodeException(relayLogInfo + " names no relay log");
            Path p = Path.of(name.get());
            if (!p.isAbsolute()) p = relayLogInfo.toAbsolutePath().getParent().resolve(p);
            dir = p.getParent();
            current = p.getFileName().toString();
        }
        if (dir == null || current == null) throw new NodeException("give --relay_dir and --current_relay_log, or --relay_log_info");
        if (!Files.isDirectory(dir)) throw new NodeException("relay log directory " + dir + " not found");
        if (!Files.isReadable(dir.resolve(current))) throw new NodeException("relay log " + dir.resolve(current) + " not found or not readable");
        return BinlogSeries.upTo(dir, current);
    }

    private int test() throws Exception {
        List<Path> logs = relayLogs();
        NodeOutput.info("Relay log found at " + logs.getFirst().getParent() + ", up to " + logs.getLast().getFileName());
        ClientTools tools = ClientTools.find(Optional.ofNullable(clientBindir));
        NodeOutput.info("Client programs: " + tools.binlogTool() + ", " + tools.client());
        if (slavePass != null || slavePassStdin) {
            try (Connection c = connect()) {
                NodeOutput.info("Connecting to " + slaveHost + ":" + slavePort + " as " + slaveUser + ".. ok (" + Db.query(c, "SELECT VERSION() v")
                        .getFirst().get("v") + ")");
            }
        }
        return 0;
    }

    private BinlogPosition target() throws NodeException {
        if (targetMlf == null) throw new NodeException("--target_mlf and --target_rmlp are required");
        return new BinlogPosition(targetMlf, targetRmlp);
    }

    private int find() throws Exception {
        List<Path> logs = relayLogs();
        RelayDiff.Found f = RelayDiff.find(logs, serverId, target(), Optional.ofNullable(latestMlf));
        f.warnings().forEach(NodeOutput::warn);
        if (f.start().isEmpty()) {
            throw new org.mha4j.node.RelayPositionNotFound("Relay log position " + target() + " not found in " + logs.getFirst().getFileName()
                    + " to " + logs.getLast().getFileName());
        }
        RelayDiff.Start s = f.start().get();
        NodeOutput.info("Target position " + target() + " found at " + logs.get(s.fileIndex()).getFileName() + ":" + s.offset()
                + "; the relay logs end at master position " + f.end().map(Object::toString).orElse("?"));
        return 0;
    }

    private int generate() throws Exception {
        if (latestMlf == null) throw new NodeException("--latest_mlf and --latest_rmlp are required");
        if (diffFile == null) throw new NodeException("--diff_file_readtolatest is required");
        List<Path> logs = relayLogs();
        RelayDiff.Result r = RelayDiff.generate(logs, serverId, target(), new BinlogPosition(latestMlf, latestRmlp), diffFile);
        r.warnings().forEach(NodeOutput::warn);
        NodeOutput.info("Generated " + r.output() + ": " + r.events() + " events (" + r.bytes() + " bytes) from master position "
                + target() + " to " + r.end() + ".");
        return 0;
    }

    private int apply() throws Exception {
        if (applyFiles == null || applyFiles.isEmpty()) throw new NodeException("--apply_files is required");
        String password = password();
        ClientTools tools = ClientTools.find(Optional.ofNullable(clientBindir));
        String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        Path merged = workdir.resolve("total_binlog_for_" + slaveHost + "_" + slavePort + "." + ts + ".binlog");
        DiffApplier.Merged m = DiffApplier.merge(applyFiles, merged);
        try (Connection c = connect(password)) {
            String packet = Db.query(c, "SELECT @@global.max_allowed_packet p").getFirst().get("p");
            // a row event may be as large as the master's max_allowed_packet; MHA raises it to 1 GiB for the apply too
            Db.execute(c, "SET GLOBAL max_allowed_packet=1073741824");
            try {
                tools.applyBinlog(m.file(), new ClientTools.Login(slaveHost, slavePort, slaveUser, password), disableLogBin == 1, workdir);
            } finally {
                Db.execute(c, "SET GLOBAL max_allowed_packet=" + Long.parseLong(packet));
            }
            NodeOutput.info("Applied " + m.events() + " events from " + String.join(",", applyFiles.stream().map(Path::toString).toList())
                    + " to " + slaveHost + ":" + slavePort + ".");
        } finally {
            Files.deleteIfExists(m.file());
        }
        return 0;
    }

    private String password() throws IOException, NodeException {
        if (slavePassStdin) {
            slavePass = NodeOutput.stdinLine("--slave_pass_stdin");
            slavePassStdin = false;
        }
        return slavePass == null ? "" : slavePass;
    }

    private Connection connect() throws SQLException, IOException, NodeException {
        return connect(password());
    }

    private Connection connect(String password) throws SQLException {
        try {
            return Db.connect(slaveHost, slavePort, slaveUser, password, Duration.ofSeconds(10), Duration.ofMinutes(5));
        } catch (SQLException e) {
            throw new SQLException("cannot connect to " + slaveHost + ":" + slavePort + " as " + slaveUser + ": " + e.getMessage(), e);
        }
    }

}
