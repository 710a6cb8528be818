package org.mha4j.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The INI dialect MHA reads with Config::Tiny: {@code [block]} headers, {@code key = value} lines, whole-line
 * {@code #} or {@code ;} comments. A {@code #} after a value is part of the value, as in Config::Tiny.
 * Every entry keeps its line number so later validation can point at it.
 */
record IniFile(Path file, List<Block> blocks) {

    record Entry(String key, String value, int line) {}

    /** Entries in file order, duplicates included: the loader validates each line before judging duplicates. */
    record Block(String name, int line, List<Entry> entries) {}

    private static final Pattern HEADER = Pattern.compile("^\\s*\\[\\s*(.+?)\\s*]\\s*$");
    private static final Pattern KEY_VALUE = Pattern.compile("^\\s*([^=]+?)\\s*=\\s*(.*?)\\s*$");

    static IniFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "file not found");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read: " + e.getMessage());
        }
        return parse(file, lines);
    }

    static IniFile parse(Path file, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        Block current = null;
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i);
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) continue;
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                String name = h.group(1);
                Integer earlier = seen.putIfAbsent(name, n);
                if (earlier != null) {
                    throw new ConfigException(file, n, "block [" + name + "] appears twice (first at line " + earlier + ")");
                }
                current = new Block(name, n, new ArrayList<>());
                blocks.add(current);
                continue;
            }
            Matcher kv = KEY_VALUE.matcher(line);
            if (!kv.matches()) {
                throw new ConfigException(file, n, "cannot parse \"" + t + "\": expected key=value, a [block] header or a # comment");
            }
            if (current == null) {
                throw new ConfigException(file, n, "\"" + kv.group(1) + "\" is outside any block: put it under [server default] or a [serverN] block");
            }
            current.entries().add(new Entry(kv.group(1), unquote(kv.group(2)), n));
        }
        return new IniFile(file, blocks);
    }

    /** MHA strips one pair of surrounding quotes: {@code "/etc/mha/ip_failover.sh 10.1.1.100 1"}. */
    static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
