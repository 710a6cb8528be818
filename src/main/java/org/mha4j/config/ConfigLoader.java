package org.mha4j.config;

import org.mha4j.process.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an MHA application config with its global defaults, as MHA 0.58 does: the global file's
 * {@code [server default]}, then the app file's, then {@code init_conf_load_script}'s output, then each server
 * block. Every problem is reported with the file and line at fault; nothing is half-loaded.
 */
public final class ConfigLoader {
    public static final Path DEFAULT_GLOBAL = Path.of("/etc/masterha_default.cnf");
    private static final String DEFAULT_BLOCK = "server default";
    private static final Pattern DIGITS = Pattern.compile("(\\d+)");

    private ConfigLoader() {}

    /** A value together with where it was written, so errors found later can still point at it. */
    private record Located(String value, Path file, int line) {}

    public static AppConfig load(Path appFile) {
        return load(appFile, null);
    }

    /** @param globalFile null means {@link #DEFAULT_GLOBAL}, which may be absent; an explicitly named file must exist */
    public static AppConfig load(Path appFile, Path globalFile) {
        Path global = globalFile != null ? globalFile : DEFAULT_GLOBAL;
        Map<Parameter, Located> defaults = new EnumMap<>(Parameter.class);
        Optional<Path> usedGlobal = Optional.empty();
        if (Files.isRegularFile(global)) {
            IniFile g = IniFile.read(global);
            for (IniFile.Block b : g.blocks()) {
                if (!b.name().equals(DEFAULT_BLOCK)) {
                    throw new ConfigException(global, b.line(), "the global file may only hold [server default], not [" + b.name() + "]");
                }
                collect(global, b, defaults);
            }
            usedGlobal = Optional.of(global);
        } else if (globalFile != null && Files.exists(globalFile)) {
            IniFile.read(globalFile);  // says what it is instead: a directory, a pipe, an empty name
        } else if (globalFile != null) {
            throw new ConfigException(globalFile, 0, "global config file not found (given with --global_conf)");
        }
        IniFile app = IniFile.read(appFile);
        for (IniFile.Block b : app.blocks()) {
            if (b.name().equals(DEFAULT_BLOCK)) collect(appFile, b, defaults);
        }
        Located script = defaults.get(Parameter.INIT_CONF_LOAD_SCRIPT);
        if (script != null && !script.value().isBlank()) runInitConfLoadScript(script, defaults);

        List<ServerConfig> servers = new ArrayList<>();
        for (IniFile.Block b : app.blocks()) {
            if (b.name().equals(DEFAULT_BLOCK)) continue;
            if (b.name().matches("server\\S+")) {
                servers.add(server(appFile, b, defaults));
            } else if (b.name().matches("binlog\\S*")) {
                // MHA acts on it (its GTID failover fetches events from binlog servers): refused rather than ignored
                throw new ConfigException(appFile, b.line(), "[" + b.name() + "] is a binlog server: MHA4J does not fetch events from"
                        + " binlog servers; remove the block (MHA4J reads the dead master's own binlog over SFTP whenever its host"
                        + " answers SSH)");
            } else {
                throw new ConfigException(appFile, b.line(), "block name [" + b.name()
                        + "] is invalid: expected [server default], [serverN] or [binlogN]");
            }
        }
        if (servers.isEmpty()) {
            throw new ConfigException(appFile, 0, "no [serverN] block: at least one server (the master) must be defined");
        }
        checkUniqueAddresses(appFile, servers);
        servers.sort(order(servers));
        return new AppConfig(appFile, usedGlobal, appName(appFile), servers);
    }

    private static void collect(Path file, IniFile.Block b, Map<Parameter, Located> into) {
        Map<Parameter, Integer> seen = new EnumMap<>(Parameter.class);
        for (IniFile.Entry e : b.entries()) {
            into.put(validateOnce(file, b, e, seen), new Located(e.value(), file, e.line()));
        }
    }

    /**
     * Validates one line, in file order, and refuses a key written twice in one block: Config::Tiny silently keeps the
     * last, and an operator editing the other one would never know which counts.
     */
    private static Parameter validateOnce(Path file, IniFile.Block b, IniFile.Entry e, Map<Parameter, Integer> seen) {
        Parameter p = validate(file, e);
        Integer before = seen.putIfAbsent(p, e.line());
        if (before != null) {
            throw new ConfigException(file, e.line(), e.key() + " is set twice in [" + b.name() + "] (lines " + before
                    + " and " + e.line() + "): keep one");
        }
        return p;
    }

    private static Parameter validate(Path file, IniFile.Entry e) {
        Parameter p = Parameter.byKey(e.key()).orElseThrow(() -> new ConfigException(file, e.line(),
                "unknown parameter \"" + e.key() + "\""
                        + Parameter.suggest(e.key()).map(s -> " — did you mean \"" + s + "\"?")
                        .orElse(" (docs/configuration.md lists every parameter)")));
        Values.problem(p, e.value()).ifPresent(msg -> {
            throw new ConfigException(file, e.line(), msg);
        });
        if (p == Parameter.MANAGER_WORKDIR) localDirProblem(Path.of(e.value())).ifPresent(msg -> {
            throw new ConfigException(file, e.line(), "manager_workdir " + msg);
        });
        if (p == Parameter.MANAGER_LOG && Path.of(e.value()).getParent() != null) {
            localDirProblem(Path.of(e.value()).getParent()).ifPresent(msg -> {
                throw new ConfigException(file, e.line(), "manager_log's directory " + msg);
            });
        }
        return p;
    }

    /**
     * A directory on the manager's host that can never be used: the path, or the nearest part of it that exists, is not
     * a directory. A directory that does not exist yet is fine (the manager creates it).
     */
    private static Optional<String> localDirProblem(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) return Optional.empty();
            if (Files.exists(p)) {
                return Optional.of(dir + (p.equals(dir.toAbsolutePath()) ? " is not a directory" : " cannot be created: " + p + " is not a directory"));
            }
        }
        return Optional.empty();
    }

    private static ServerConfig server(Path file, IniFile.Block b, Map<Parameter, Located> defaults) {
        Map<Parameter, String> values = new EnumMap<>(Parameter.class);
        defaults.forEach((p, v) -> {
            if (!p.local()) values.put(p, v.value());
        });
        Map<Parameter, Integer> seen = new EnumMap<>(Parameter.class);
        for (IniFile.Entry e : b.entries()) values.put(validateOnce(file, b, e, seen), e.value());
        if (values.getOrDefault(Parameter.HOSTNAME, "").isBlank()) {
            throw new ConfigException(file, b.line(), "[" + b.name() + "] has no hostname: add hostname=<host or IP> to it");
        }
        return new ServerConfig(b.name(), b.line(), values);
    }

    private static void checkUniqueAddresses(Path file, List<ServerConfig> servers) {
        Map<String, ServerConfig> seen = new HashMap<>();
        for (ServerConfig s : servers) {
            ServerConfig other = seen.putIfAbsent(s.ip() + ":" + s.port(), s);
            if (other != null) {
                throw new ConfigException(file, s.line(), "[" + s.block() + "] and [" + other.block() + "] (line " + other.line()
                        + ") have the same address " + s.ip() + ":" + s.port() + ": every server needs its own ip:port");
            }
        }
    }

    /** MHA's order: by the number in the block name when every name has one (server2 before server10), else by name. */
    private static Comparator<ServerConfig> order(List<ServerConfig> servers) {
        boolean allNumbered = servers.stream().allMatch(s -> DIGITS.matcher(s.block()).find());
        if (!allNumbered) return Comparator.comparing(ServerConfig::block);
        return Comparator.comparing((ServerConfig s) -> {
            Matcher m = DIGITS.matcher(s.block());
            m.find();
            return new java.math.BigInteger(m.group(1));
        }).thenComparing(ServerConfig::block);
    }

    static String appName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** MHA runs it on every config read; its {@code name=value} lines override the app defaults (e.g. fetched passwords). */
    private static final java.time.Duration INIT_CONF_LOAD_TIMEOUT = java.time.Duration.ofSeconds(30);

    private static void runInitConfLoadScript(Located script, Map<Parameter, Located> defaults) {
        String out;
        try {
            ProcessRunner.Result r = ProcessRunner.run(List.of("/bin/sh", "-c", script.value()), Map.of(), null, INIT_CONF_LOAD_TIMEOUT, false);
            if (r.timedOut()) {
                throw new ConfigException(script.file(), script.line(), "init_conf_load_script did not finish within "
                        + INIT_CONF_LOAD_TIMEOUT.toSeconds() + " s (it and its children were killed)");
            }
            if (r.exitCode() != 0) {
                // not its stderr: a script that hands out passwords may print one there
                throw new ConfigException(script.file(), script.line(), "init_conf_load_script exited with code " + r.exitCode());
            }
            out = r.stdout();
        } catch (IOException e) {
            throw new ConfigException(script.file(), script.line(), "cannot run init_conf_load_script: " + e.getMessage());
        }
        String[] lines = out.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int eq = l.indexOf('=');
            String where = "line " + (i + 1) + " of init_conf_load_script's output";
            if (eq <= 0) throw new ConfigException(script.file(), script.line(), where + " is not name=value");
            Parameter p;
            IniFile.Entry e;
            try {
                String key = l.substring(0, eq).strip();
                e = new IniFile.Entry(key, IniFile.unquote(script.file(), script.line(), key, l.substring(eq + 1).strip()), script.line());
                p = validate(script.file(), e);
            } catch (ConfigException ex) {
                throw new ConfigException(script.file(), script.line(), where + ": " + ex.reason());
            }
            defaults.put(p, new Located(e.value(), script.file(), script.line()));
        }
    }
}
