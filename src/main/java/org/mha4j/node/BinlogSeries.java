package org.mha4j.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The numbered files of one binary or relay log ({@code binlog.000007}, {@code relaylog.000012}, ...) in a directory,
 * in order. Ordered by number, not by name, so {@code .999999} is followed by {@code .1000000}.
 */
public final class BinlogSeries {
    private static final Pattern NUMBERED = Pattern.compile("(.+)\\.(\\d+)");

    private BinlogSeries() {}

    /** {@code file} and every later file of its series in {@code dir}, in order. */
    public static List<Path> from(Path dir, String file) throws IOException {
        return select(dir, file, true);
    }

    /** Every file of the series in {@code dir} up to {@code last}, in order. */
    public static List<Path> upTo(Path dir, String last) throws IOException {
        return select(dir, last, false);
    }

    private static List<Path> select(Path dir, String file, boolean later) throws IOException {
        Matcher m = NUMBERED.matcher(file);
        if (!m.matches()) throw new IOException(file + " is not a numbered binary or relay log name (like binlog.000012)");
        String prefix = m.group(1);
        long bound = Long.parseLong(m.group(2));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> number(p, prefix).filter(n -> later ? n >= bound : n <= bound).isPresent())
                    .sorted(Comparator.comparingLong(p -> number(p, prefix).orElseThrow()))
                    .toList();
        }
    }

    static Optional<Long> number(Path p, String prefix) {
        Matcher m = NUMBERED.matcher(p.getFileName().toString());
        return m.matches() && m.group(1).equals(prefix) ? Optional.of(Long.parseLong(m.group(2))) : Optional.empty();
    }
}
