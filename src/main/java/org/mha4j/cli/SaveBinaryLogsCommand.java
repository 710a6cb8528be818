package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.mha4j.node.BinlogSeries;
import org.mha4j.node.BinlogTail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "save_binary_logs", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Saves a binlog from a file and position to its end as one raw binlog (MHA Node).",
                "Every event's size and CRC32 is checked; an event a crash left half-written is",
                "cut, with a warning. Runs on the database host (the manager calls it over SSH).",
                "Exit codes: 0 saved, 10 no event after the start position, 1 error."})
public final class SaveBinaryLogsCommand implements Callable<Integer> {
    @Option(names = "--command", defaultValue = "save", paramLabel = "test|save")
    String command;
    @Option(names = "--start_file", required = true, paramLabel = "FILE", description = "e.g. binlog.000012 (no directory).")
    String startFile;
    @Option(names = "--start_pos", converter = Numbers.NonNegativeLong.class, defaultValue = "4", paramLabel = "POS", description = "An event's end, e.g. Read_Master_Log_Pos (default 4).")
    long startPos;
    @Option(names = "--binlog_dir", defaultValue = "/var/lib/mysql", paramLabel = "DIR[,DIR..]",
            description = "Where the logs are; the first directory holding --start_file is used.")
    String binlogDir;
    @Option(names = "--output_file", paramLabel = "FILE", description = "save: where to write (required).")
    Path outputFile;
    @Option(names = "--handle_raw_binlog", defaultValue = "1", paramLabel = "0|1",
            description = "Accepted for MHA; the output is always raw binlog events (they are applied with mariadb-binlog).")
    int handleRawBinlog;
    @Option(names = {"--binlog_prefix", "--relay_log_info", "--datadir", "--skip_filter", "--disable_log_bin", "--oldest_version",
            "--client_bindir", "--client_libdir", "--manager_version"}, hidden = true, paramLabel = "V",
            description = "MHA options without effect here.")
    String[] ignored;
    @Option(names = "--debug", hidden = true)
    boolean debug;

    @Override
    public Integer call() {
        if (!command.equals("test") && !command.equals("save")) return NodeOutput.error("--command must be test or save, not " + Problems.shorten(command));
        List<Path> dirs = Arrays.stream(binlogDir.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
        try {
            Path dir = BinlogTail.locate(dirs, startFile);
            List<Path> files = BinlogSeries.from(dir, startFile);
            if (command.equals("test")) {
                if (outputFile != null && !Files.isWritable(outputFile.toAbsolutePath().getParent())) {
                    return NodeOutput.error("the directory of --output_file " + outputFile + " is not writable");
                }
                NodeOutput.info("Binlog found at " + dir + ", up to " + files.getLast().getFileName());
                return 0;
            }
            if (!command.equals("save")) return NodeOutput.error("--command must be test or save, not " + command);
            if (outputFile == null) return NodeOutput.error("--output_file is required with --command=save");
            if (handleRawBinlog == 0) NodeOutput.warn("--handle_raw_binlog=0 is not supported: saving raw binlog events");
            BinlogTail.Result r = BinlogTail.save(dir, startFile, startPos, outputFile);
            r.warnings().forEach(NodeOutput::warn);
            if (r.events() == 0) {
                Files.deleteIfExists(r.output());
                NodeOutput.info("No binlog event after " + startFile + ":" + startPos + " (up to " + r.lastFile() + ").");
                return 10;
            }
            NodeOutput.info("Saved " + r.events() + " events (" + r.bytes() + " bytes) from " + startFile + ":" + startPos
                    + " to the end of " + r.lastFile() + " into " + r.output() + ".");
            return 0;
        } catch (Exception e) {
            return NodeOutput.error(e);
        }
    }
}
