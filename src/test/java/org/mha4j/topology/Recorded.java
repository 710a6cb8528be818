package org.mha4j.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads server outputs recorded in src/test/resources/recorded/ as the mysql client prints them. */
final class Recorded {
    private Recorded() {}

    private static final Pattern FIELD = Pattern.compile("^\\s*([A-Za-z_]+): ?(.*)$");

    static String text(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("/recorded/" + name)) {
            if (in == null) throw new IllegalArgumentException("no recorded output " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code \G} row; a line that is not "Name: value" continues the previous value (multi-line GTID sets). */
    static Map<String, String> verticalRow(String name) {
        Map<String, String> row = new LinkedHashMap<>();
        String last = null;
        for (String line : text(name).split("\n")) {
            if (line.startsWith("#") || line.startsWith("***") || line.isBlank()) continue;
            Matcher m = FIELD.matcher(line);
            if (m.matches()) {
                last = m.group(1);
                String v = m.group(2).strip();
                row.put(last, v.equals("NULL") ? null : v);
            } else if (last != null) {
                row.put(last, row.get(last) + "\n" + line.strip());
            }
        }
        return row;
    }

    /** Tab-separated name/value lines, variables before "--- status", status after; names lower-cased as Db.nameValue does. */
    static Map<String, Map<String, String>> variablesAndStatus(String name) {
        Map<String, String> vars = new LinkedHashMap<>();
        Map<String, String> status = new LinkedHashMap<>();
        Map<String, String> into = vars;
        for (String line : text(name).split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            if (line.startsWith("--- status")) {
                into = status;
                continue;
            }
            String[] kv = line.split("\t", 2);
            into.put(kv[0].toLowerCase(), kv.length > 1 ? kv[1] : "");
        }
        return Map.of("variables", vars, "status", status);
    }
}
