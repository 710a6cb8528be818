package org.mha4j.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.AccessDeniedException;
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
        if (file.toString().isBlank()) throw new ConfigException(file, 0, "no file name given (an empty --conf= or --global_conf=)");
        if (Files.isDirectory(file)) throw new ConfigException(file, 0, "is a directory, not a config file");
        // a named pipe or a device would block the read for ever, or never end
        if (Files.exists(file) && !Files.isRegularFile(file)) throw new ConfigException(file, 0, "is not a regular file (a pipe or a device?)");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "file not found");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file, 0, "permission denied: the file must be readable by " + System.getProperty("user.name"));
        } catch (IOException e) {
            // the reason alone: the exception's message repeats the path, which the error already names
            throw new ConfigException(file, 0, "cannot read: " + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                    ? f.getReason() : e.getClass().getSimpleName()));
        }
        return parse(file, decode(file, bytes).lines().toList());
    }

    /** UTF-8, a byte-order mark at the start skipped; a byte that is not UTF-8 is named with its line. */
    private static String decode(Path file, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            int bad = firstBadByte(bytes);
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ConfigException(file, line, String.format("is not UTF-8 (byte 0x%02X at column %d): save the file as UTF-8",
                    bytes[bad] & 0xff, bad - lineStart + 1));
        }
    }

    /** Where the first byte that does not start a well-formed UTF-8 sequence is. */
    private static int firstBadByte(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
            if (n == 0 || i + n > b.length) return i;
            for (int k = 1; k < n; k++) {
                if ((b[i + k] & 0xc0) != 0x80) return i;
            }
            i += n;
        }
        return b.length - 1;  // a form this walk lets pass (overlong, surrogate): at least the right file and a line near it
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
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (Character.isISOControl(ch) && ch != '\t' || ch == '\uFEFF') {
                    throw new ConfigException(file, n, String.format("holds a control character (U+%04X) at column %d: remove it", (int) ch, c + 1));
                }
            }
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
            if (!kv.matches() || kv.group(1).isBlank()) {
                // not quoted back: a stray line is as likely a password as a typo
                throw new ConfigException(file, n, "cannot parse this line (not shown: it may hold a secret): expected key=value, a [block]"
                        + " header or a # comment");
            }
            if (current == null) {
                throw new ConfigException(file, n, "\"" + kv.group(1) + "\" is outside any block: put it under [server default] or a [serverN] block");
            }
            current.entries().add(new Entry(kv.group(1), unquote(file, n, kv.group(1), kv.group(2)), n));
        }
        return new IniFile(file, blocks);
    }

    /**
     * MHA strips one pair of surrounding quotes: {@code "/etc/mha/ip_failover.sh 10.1.1.100 1"}. A value that opens a
     * quote and does not close it with the same one is refused: what follows is not what the operator meant.
     */
    static String unquote(Path file, int line, String key, String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        if (v.startsWith("\"") || v.startsWith("'")) {
            throw new ConfigException(file, line, "the value of " + key + " opens a quote (" + v.charAt(0) + ") it does not close with the same one");
        }
        return v;
    }
}
