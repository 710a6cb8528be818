package org.mha4j.cli;

import org.mha4j.options.Numbers;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.mha4j.node.RelayLogPurger;
import org.mha4j.topology.Db;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "purge_relay_logs", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Purges executed relay logs without stopping the SQL thread (MHA Node, cron).",
                "relay_log_purge stays 0: a failover without GTID builds differences from them.",
                "Run it on the replica's own host. Password: --defaults_file ([client]",
                "password=), --password_stdin, or --password (visible in ps).",
                "Exit codes: 0 done (also when there was nothing to purge), 1 error."})
public final class PurgeRelayLogsCommand implements Callable<Integer> {
    @Option(names = "--user", defaultValue = "root", paramLabel = "USER")
    String user;
    @Option(names = "--password", paramLabel = "PASSWORD", description = "Visible in ps: prefer --defaults_file or --password_stdin.")
    String password;
    @Option(names = "--password_stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;
    @Option(names = "--defaults_file", paramLabel = "FILE", description = "A client option file; its [client] user/password/port are used.")
    Path defaultsFile;
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST", description = "Must be this host: the relay logs are read here.")
    String host;
    @Option(names = "--port", converter = Numbers.Port.class, paramLabel = "PORT", description = "Default 3306.")
    Integer port;
    @Option(names = "--workdir", defaultValue = "/var/tmp", paramLabel = "DIR", description = "Where the hard links are made (same filesystem).")
    Path workdir;
    @Option(names = "--disable_relay_log_purge", description = "If relay_log_purge=1, set it to 0 and purge.")
    boolean disableRelayLogPurge;
    @Option(names = "--use_hardlink", converter = Numbers.ZeroOrOne.class, defaultValue = "1", paramLabel = "0|1",
            description = "Hard-link the relay logs first and free their blocks after the server let go of them (default 1).")
    int useHardlink;
    @Option(names = {"--socket", "--relay_log_info"}, hidden = true, paramLabel = "V", description = "MHA options without effect here.")
    String[] ignored;

    @Override
    public Integer call() {
        try {
            int p = port == null ? 3306 : port;
            String u = user;
            String pw = password;
            if (defaultsFile != null) {
                java.util.Map<String, String> client = clientSection(defaultsFile);
                if (client.containsKey("password")) pw = unquote(client.get("password"));
                if (client.containsKey("user") && "root".equals(u)) u = client.get("user");
                if (client.containsKey("port") && port == null) p = Integer.parseInt(client.get("port").strip());
            }
            if (passwordStdin) pw = NodeOutput.stdinLine("--password_stdin");
            try (Connection c = Db.connect(host, p, u, pw, Duration.ofSeconds(10), Duration.ofMinutes(5))) {
                RelayLogPurger.Result r = RelayLogPurger.purge(c, disableRelayLogPurge, useHardlink == 1, workdir, Duration.ofSeconds(200));
                NodeOutput.info(r.message() + (r.purged().isEmpty() ? "" : ": " + String.join(", ", r.purged())
                        + (r.bytes() > 0 ? " (" + r.bytes() + " bytes)" : "")) + (r.kept().isEmpty() ? "" : "; kept " + String.join(", ", r.kept()))
                        + ". relay_log_purge is 0.");
            }
            return 0;
        } catch (Exception e) {
            return NodeOutput.error(e);
        }
    }

    /** The [client] options of a MySQL option file (key=value lines; options without a value are skipped). */
    static java.util.Map<String, String> clientSection(Path file) throws java.io.IOException {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        boolean in = false;
        for (String line : java.nio.file.Files.readAllLines(file)) {
            String t = line.strip();
            if (t.startsWith("[")) in = t.equals("[client]");
            else if (in && !t.startsWith("#") && !t.startsWith(";") && t.contains("=")) {
                out.put(t.substring(0, t.indexOf('=')).strip().replace('-', '_'), t.substring(t.indexOf('=') + 1).strip());
            }
        }
        return out;
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'")) ? t.substring(1, t.length() - 1) : t;
    }
}
