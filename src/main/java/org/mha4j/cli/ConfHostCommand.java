package org.mha4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mha4j.config.ConfigEditor;
import org.mha4j.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(name = "masterha_conf_host", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = {"Adds or deletes a server block in an MHA config, as MHA's masterha_conf_host, but edits the file as text:",
                "comments and the other blocks stay byte-identical; the file is replaced atomically."})
public final class ConfHostCommand implements Callable<Integer> {
    @Option(names = "--command", required = true, paramLabel = "add|delete|remove")
    String command;
    @Option(names = "--conf", required = true, paramLabel = "FILE")
    Path conf;
    @Option(names = "--hostname", paramLabel = "HOST")
    String hostname;
    @Option(names = "--block", paramLabel = "NAME", description = "Block name; default server_<hostname>, 'server' prefixed when missing.")
    String block;
    @Option(names = "--params", paramLabel = "k=v;k=v", description = "Parameters of the new block, separated by ';'.")
    String params;
    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        MhaCompat.warnUnmatched(unmatched);
        String name = block != null ? block : hostname != null ? "server_" + hostname : null;
        if (name == null) {
            System.err.println("--block or --hostname is required");
            return 1;
        }
        if (!name.startsWith("server")) name = "server" + name;
        try {
            switch (command) {
                case "add" -> {
                    if (hostname == null) {
                        System.err.println("--hostname is required with --command=add");
                        return 1;
                    }
                    Map<String, String> p = new LinkedHashMap<>();
                    p.put("hostname", hostname);
                    if (params != null) {
                        for (String kv : params.split(";")) {
                            if (kv.isBlank()) continue;
                            int eq = kv.indexOf('=');
                            if (eq <= 0) {
                                System.err.println("--params: \"" + Problems.shorten(kv) + "\" is not key=value");
                                return 1;
                            }
                            p.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
                        }
                    }
                    ConfigEditor.addBlock(conf, name, p);
                    System.out.println("Wrote [" + name + "] entry to " + conf + ".");
                }
                case "delete", "remove" -> {
                    try {
                        ConfigEditor.removeBlock(conf, name);
                        System.out.println("Deleted [" + name + "] entry from " + conf + ".");
                    } catch (ConfigException e) {
                        if (!e.reason().startsWith("no block")) throw e;
                        System.out.println("Entry [" + name + "] not found in " + conf + ".");
                    }
                }
                default -> {
                    System.err.println("--command must be add or delete, not " + command);
                    return 1;
                }
            }
            return 0;
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage() + " (--block, --hostname, --params; nothing written)");
            return 1;
        }
    }
}
