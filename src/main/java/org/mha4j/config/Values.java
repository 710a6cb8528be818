package org.mha4j.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Validation of one value by its parameter's kind; the message says what was expected. */
final class Values {
    private Values() {}

    private static final Set<String> TRUE = Set.of("1", "on", "yes", "true");
    private static final Set<String> FALSE = Set.of("0", "off", "no", "false", "");
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

    static boolean bool(String v) {
        return TRUE.contains(v.trim().toLowerCase(Locale.ROOT));
    }

    /** Empty when valid, else why not. */
    static Optional<String> problem(Parameter p, String v) {
        String lower = v.trim().toLowerCase(Locale.ROOT);
        return switch (p.kind()) {
            case TEXT, SECRET -> Optional.empty();
            case PORT -> integer(v).filter(n -> n >= 1 && n <= 65535).isPresent() ? Optional.empty()
                    : Optional.of(p.key() + " must be a port number from 1 to 65535, not \"" + v + "\"");
            case POSITIVE -> integer(v).filter(n -> n > 0).isPresent() ? Optional.empty()
                    : Optional.of(p.key() + " must be a positive whole number, not \"" + v + "\"");
            case BOOL -> TRUE.contains(lower) || FALSE.contains(lower) ? Optional.empty()
                    : Optional.of(p.key() + " must be 0 or 1, not \"" + v + "\"");
            case PING_TYPE -> Set.of("select", "connect", "insert").contains(lower) ? Optional.empty()
                    : Optional.of("ping_type must be SELECT, CONNECT or INSERT, not \"" + v + "\"");
            case LOG_LEVEL -> LOG_LEVELS.contains(lower) ? Optional.empty()
                    : Optional.of("log_level must be debug, info, warning or error, not \"" + v + "\"");
            case SEMI_SYNC -> Set.of("on", "off", "unmanaged").contains(lower) ? Optional.empty()
                    : Optional.of("semi_sync must be on, off or unmanaged, not \"" + v + "\"");
        };
    }

    private static Optional<Long> integer(String v) {
        try {
            return Optional.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
