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

    /** semi_sync_timeout's word for "never fall back"; the largest timeout MySQL accepts, about 49.7 days, is set. */
    static final String INFINITE = "infinite";
    static final long SEMI_SYNC_TIMEOUT_MAX = ServerConfig.SEMI_SYNC_TIMEOUT_INFINITE_MS;

    static boolean bool(String v) {
        return TRUE.contains(v.trim().toLowerCase(Locale.ROOT));
    }

    /** Empty when valid, else why not. */
    static Optional<String> problem(Parameter p, String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        String v = shown(value);
        return switch (p.kind()) {
            case TEXT, SECRET -> Optional.empty();
            case HOST -> value.isEmpty() || HOST.matcher(value).matches() && value.length() <= 255 ? Optional.empty()
                    : Optional.of(p.key() + " must be a host name or an IP address (letters, digits, '.', '-', ':'), not \"" + v + "\"");
            case REMOTE_DIRS -> remoteDirsProblem(p, value);
            case VIP -> vip(value) ? Optional.empty()
                    : Optional.of("vip must be an IPv4 address with its prefix length, as 10.0.0.100/24, not \"" + v + "\"");
            case INTERFACE -> value.matches("[A-Za-z0-9_.:@-]{1,15}") ? Optional.empty()
                    : Optional.of(p.key() + " must be a network interface name (up to 15 letters, digits, '.', '-', '_', ':'), not \"" + v + "\"");
            case SSH_OPTIONS -> quotesBalanced(value) ? Optional.empty()
                    : Optional.of(p.key() + " has a quote that is not closed: \"" + v + "\"");
            case PORT -> integer(value).filter(n -> n >= 1 && n <= 65535).isPresent() ? Optional.empty()
                    : Optional.of(p.key() + " must be a port number from 1 to 65535, not \"" + v + "\"");
            case POSITIVE -> integer(value).filter(n -> n > 0 && n <= Integer.MAX_VALUE).isPresent() ? Optional.empty()
                    : Optional.of(p.key() + " must be a positive whole number up to " + Integer.MAX_VALUE + ", not \"" + v + "\"");
            case SEMI_SYNC_TIMEOUT -> lower.equals(INFINITE) || integer(value).filter(n -> n > 0 && n <= SEMI_SYNC_TIMEOUT_MAX).isPresent()
                    ? Optional.empty()
                    : Optional.of("semi_sync_timeout must be milliseconds from 1 to " + SEMI_SYNC_TIMEOUT_MAX
                    + ", or infinite (the master never falls back to asynchronous replication), not \"" + v + "\"");
            case FENCE -> Set.of("read_only", "shutdown", "none").contains(lower) ? Optional.empty()
                    : Optional.of("fence must be read_only, shutdown or none, not \"" + v + "\"");
            case HOOK_PASSWORD_MODE -> Set.of("command_line", "env").contains(lower) ? Optional.empty()
                    : Optional.of("hook_password_mode must be command_line (MHA's: passwords as hook arguments) or env (in environment"
                    + " variables only), not \"" + v + "\"");
            case DETECTION -> Set.of("fast", "mha").contains(lower) ? Optional.empty()
                    : Optional.of("detection must be fast or mha, not \"" + v + "\"");
            case BOOL -> TRUE.contains(lower) || FALSE.contains(lower) ? Optional.empty()
                    : Optional.of(p.key() + " must be 0 or 1, not \"" + v + "\"");
            case PING_TYPE -> Set.of("select", "connect", "insert").contains(lower) ? Optional.empty()
                    : Optional.of("ping_type must be SELECT, CONNECT or INSERT, not \"" + v + "\"");
            case LOG_LEVEL -> LOG_LEVELS.contains(lower) ? Optional.empty()
                    : Optional.of("log_level must be debug, info, warning or error, not \"" + v + "\"");
            case COORDINATION -> COORDINATION_URL.matcher(value.trim()).matches() ? Optional.empty()
                    : Optional.of("coordination must be zookeeper://host:port[,host:port...][/path], as"
                    + " zookeeper://zk1:2181,zk2:2181,zk3:2181/mha4j, not \"" + v + "\"");
            case SEMI_SYNC -> Set.of("on", "off", "unmanaged").contains(lower) ? Optional.empty()
                    : Optional.of("semi_sync must be on, off or unmanaged, not \"" + v + "\"");
        };
    }

    /** ASCII digits only: Long.parseLong also takes other scripts' digits, and a space inside quotes is not a number. */
    private static Optional<Long> integer(String v) {
        if (!v.matches("-?[0-9]{1,18}")) return Optional.empty();
        return Optional.of(Long.parseLong(v));
    }

    /** zookeeper://host:port,...[/path]: ZooKeeper's connect string, its chroot path made of plain names. */
    static final java.util.regex.Pattern COORDINATION_URL = java.util.regex.Pattern.compile(
            "zookeeper://([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:]+\\]):[0-9]{1,5}(,([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:]+\\]):[0-9]{1,5})*(/[A-Za-z0-9._-]+)*/?");

    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    /** What a shell would interpret, or what ends a command line: directories on the database hosts never need them. */
    private static final java.util.regex.Pattern SHELL_SPECIAL = java.util.regex.Pattern.compile("[\\s;|&$`'\"<>(){}*?!\\\\]");

    /** Directories on the database hosts (a comma-separated list for master_binlog_dir): absolute, nothing a shell reads. */
    private static Optional<String> remoteDirsProblem(Parameter p, String value) {
        for (String d : value.split(",")) {
            String dir = d.strip();
            if (!dir.startsWith("/")) {
                return Optional.of(p.key() + " must be an absolute directory on the database host (starting with /), not \"" + shown(dir) + "\"");
            }
            if (SHELL_SPECIAL.matcher(dir).find()) {
                return Optional.of(p.key() + " must not hold spaces or characters a shell interprets (; | & $ ` quotes < > ( ) * ? !), not \""
                        + shown(dir) + "\"");
            }
        }
        return Optional.empty();
    }

    private static boolean vip(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})").matcher(v);
        if (!m.matches()) return false;
        for (int i = 1; i <= 4; i++) if (Integer.parseInt(m.group(i)) > 255) return false;
        return Integer.parseInt(m.group(5)) <= 32;
    }

    /** Every quote opened is closed, as OpenSSH's own word splitting needs it. */
    private static boolean quotesBalanced(String v) {
        char open = 0;
        for (char c : v.toCharArray()) {
            if (open == 0 && (c == '"' || c == '\'')) open = c;
            else if (c == open) open = 0;
        }
        return open == 0;
    }

    /** A value as an error message quotes it: at most 60 characters. */
    static String shown(String v) {
        return v.length() <= 60 ? v : v.substring(0, 60) + "… (" + v.length() + " characters)";
    }
}
