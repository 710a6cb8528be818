package org.mha4j.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.TypeConversionException;

/** How the command line says what went wrong: one line, the reason, values shortened. */
final class Problems {
    private Problems() {}

    /** The reason of an exception and of its causes, without class names where a message says it. */
    static String describe(Throwable ex) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = ex; t != null && sb.length() < 400; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank() || sb.toString().contains(m)) continue;
            if (!sb.isEmpty()) sb.append(": ");
            sb.append(shorten(m.lines().findFirst().orElse(m)));
        }
        return sb.isEmpty() ? "an unexpected error (" + ex.getClass().getSimpleName() + "); run with log_level=debug for details" : sb.toString();
    }

    /** At most 120 characters of a value an operator typed or a message that quotes one. */
    static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "… (" + s.length() + " characters)";
    }

    /** A file name from the command line; one that no file system can hold is refused by name. */
    static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + shorten(s.replace("\0", "\\0")) + "' cannot be a file name: " + e.getReason());
        }
    }
}
