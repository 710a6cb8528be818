package org.mha4j.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Edits a config file as text (not by re-serialising it), so comments and every other block stay byte-identical.
 * Writes go to a temporary file beside the original and replace it atomically: a crash leaves old or new, never half.
 */
public final class ConfigEditor {
    private ConfigEditor() {}

    private static final Pattern ANY_HEADER = Pattern.compile("(?m)^[ \\t]*\\[.+?]\\s*$");

    /** Removes {@code [block]} and its lines up to the next block header. No such block: an error naming the file. */
    public static void removeBlock(Path file, String block) {
        String text = read(file);
        var header = Pattern.compile("(?m)^[ \\t]*\\[\\s*" + Pattern.quote(block) + "[ \\t]*][ \\t]*$").matcher(text);
        if (!header.find()) throw new ConfigException(file, 0, "no block [" + block + "] to remove");
        int start = header.start();
        var next = ANY_HEADER.matcher(text);
        int end = next.find(header.end()) ? next.start() : text.length();
        write(file, text.substring(0, start) + text.substring(end));
    }

    /**
     * Appends {@code [block]} with its parameters (written as key=value, validated first). Nothing is written when the
     * block name or a value could change more than that one block (a line break, a bracket), or when the new server
     * has the address of one already there.
     */
    public static void addBlock(Path file, String block, Map<String, String> params) {
        if (!block.matches("server[A-Za-z0-9_.:-]+")) {
            throw new ConfigException(file, 0, "a block name is server followed by letters, digits, '_', '-', '.' or ':', not \""
                    + Values.shown(block.replace("\n", "\\n").replace("\r", "\\r")) + "\"");
        }
        params.forEach((k, v) -> {
            if (k.contains("\n") || k.contains("\r") || v.contains("\n") || v.contains("\r")) {
                throw new ConfigException(file, 0, "the value of " + Values.shown(k.strip()) + " holds a line break: one line per parameter");
            }
        });
        String text = read(file);
        if (Pattern.compile("(?m)^[ \\t]*\\[\\s*" + Pattern.quote(block) + "[ \\t]*][ \\t]*$").matcher(text).find()) {
            throw new ConfigException(file, 0, "block [" + block + "] already exists");
        }
        StringBuilder sb = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) sb.append('\n');
        sb.append('[').append(block).append("]\n");
        params.forEach((k, v) -> {
            Parameter p = Parameter.byKey(k).orElseThrow(() -> new ConfigException(file, 0, "unknown parameter \"" + k + "\""
                    + Parameter.suggest(k).map(s -> " — did you mean \"" + s + "\"?").orElse("")));
            Values.problem(p, v).ifPresent(m -> {
                throw new ConfigException(file, 0, m);
            });
            sb.append(k).append('=').append(v).append('\n');
        });
        uniqueAddresses(file, IniFile.parse(file, sb.toString().lines().toList()));
        write(file, sb.toString());
    }

    /** Two blocks for one server would make the manager watch it twice: refused, as the loader refuses it. */
    private static void uniqueAddresses(Path file, IniFile ini) {
        String defaultPort = ini.blocks().stream().filter(b -> b.name().equals("server default")).findFirst()
                .flatMap(b -> value(b, "port")).orElse("3306");
        Map<String, String> seen = new java.util.HashMap<>();
        for (IniFile.Block b : ini.blocks()) {
            if (!b.name().startsWith("server") || b.name().equals("server default")) continue;
            String host = value(b, "ip").or(() -> value(b, "hostname")).orElse("");
            String address = host + ":" + value(b, "port").orElse(defaultPort);
            String other = seen.putIfAbsent(address, b.name());
            if (other != null) {
                throw new ConfigException(file, 0, "[" + b.name() + "] would have the address " + address + " of [" + other + "]: one block per server");
            }
        }
    }

    private static java.util.Optional<String> value(IniFile.Block b, String key) {
        return b.entries().stream().filter(e -> e.key().equals(key)).map(IniFile.Entry::value).reduce((x, y) -> y);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    private static void write(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".mha4j-tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep the default permissions
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }

}
