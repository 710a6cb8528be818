package org.mha4j.config;

import java.nio.file.Path;

/** A config file that cannot be used, with the file and line at fault. Never carries a password. */
public final class ConfigException extends RuntimeException {
    private final Path file;
    private final int line;
    private final String reason;

    public ConfigException(Path file, int line, String reason) {
        super(shown(file) + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** A path of absurd length (typed by mistake, or hostile) is not echoed whole. */
    private static String shown(Path file) {
        String s = String.valueOf(file);
        return s.length() <= 200 ? s : s.substring(0, 100) + "…" + s.substring(s.length() - 60);
    }

    public Path file() {
        return file;
    }

    /** 1-based line number, 0 when the problem is not on one line. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
