package org.mha4j.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every key MHA 0.58 accepts ({@code @PARAM_ARRAY} in MHA's Config.pm), with MHA's defaults, plus MHA4J's own.
 * {@code local} keys are never inherited from {@code [server default]}, exactly as in MHA.
 */
public enum Parameter {
    HOSTNAME(true, Kind.HOST, null),
    IP(true, Kind.HOST, null),
    PORT(false, Kind.PORT, "3306"),
    NODE_LABEL(true, Kind.TEXT, null),
    SSH_HOST(true, Kind.HOST, null),
    SSH_IP(true, Kind.HOST, null),
    SSH_PORT(false, Kind.PORT, "22"),
    SSH_USER(false, Kind.TEXT, null),
    SSH_OPTIONS(false, Kind.SSH_OPTIONS, ""),
    SSH_CONNECTION_TIMEOUT(false, Kind.POSITIVE, "5"),
    USER(false, Kind.TEXT, "root"),
    PASSWORD(false, Kind.SECRET, ""),
    REPL_USER(false, Kind.TEXT, null),
    REPL_PASSWORD(false, Kind.SECRET, null),
    CANDIDATE_MASTER(true, Kind.BOOL, "0"),
    NO_MASTER(true, Kind.BOOL, "0"),
    IGNORE_FAIL(true, Kind.BOOL, "0"),
    SKIP_INIT_SSH_CHECK(true, Kind.BOOL, "0"),
    SKIP_RESET_SLAVE(false, Kind.BOOL, "0"),
    DISABLE_LOG_BIN(false, Kind.BOOL, "0"),
    MASTER_PID_FILE(false, Kind.TEXT, ""),
    HANDLE_RAW_BINLOG(false, Kind.BOOL, "1"),
    REMOTE_WORKDIR(false, Kind.REMOTE_DIRS, "/var/tmp"),
    MASTER_BINLOG_DIR(false, Kind.REMOTE_DIRS, "/var/lib/mysql,/var/log/mysql"),
    LOG_LEVEL(false, Kind.LOG_LEVEL, "info"),
    MANAGER_WORKDIR(false, Kind.TEXT, "/var/tmp"),
    MANAGER_LOG(false, Kind.TEXT, null),
    CHECK_REPL_DELAY(false, Kind.BOOL, "1"),
    CHECK_REPL_FILTER(false, Kind.BOOL, "1"),
    LATEST_PRIORITY(false, Kind.BOOL, "1"),
    MULTI_TIER_SLAVE(false, Kind.BOOL, "0"),
    PING_INTERVAL(false, Kind.POSITIVE, "3"),
    PING_TYPE(false, Kind.PING_TYPE, "SELECT"),
    SECONDARY_CHECK_SCRIPT(false, Kind.TEXT, null),
    MASTER_IP_FAILOVER_SCRIPT(false, Kind.TEXT, null),
    MASTER_IP_ONLINE_CHANGE_SCRIPT(false, Kind.TEXT, null),
    SHUTDOWN_SCRIPT(false, Kind.TEXT, null),
    REPORT_SCRIPT(false, Kind.TEXT, null),
    INIT_CONF_LOAD_SCRIPT(false, Kind.TEXT, null),
    CLIENT_BINDIR(false, Kind.REMOTE_DIRS, null),
    CLIENT_LIBDIR(false, Kind.REMOTE_DIRS, null),
    USE_GTID_AUTO_POS(false, Kind.BOOL, "1"),
    // MHA4J additions
    SEMI_SYNC(false, Kind.SEMI_SYNC, "unmanaged"),
    SEMI_SYNC_TIMEOUT(false, Kind.SEMI_SYNC_TIMEOUT, "10000"),
    NODE_BINDIR(false, Kind.REMOTE_DIRS, null),
    FENCE(false, Kind.FENCE, "read_only"),
    DETECTION(false, Kind.DETECTION, "fast"),
    HOOK_PASSWORD_MODE(false, Kind.HOOK_PASSWORD_MODE, "command_line"),
    /** Seconds a hook (master_ip_failover_script, shutdown_script, master_ip_online_change_script, report_script) may run. */
    HOOK_TIMEOUT(false, Kind.POSITIVE, "300"),
    /** Seconds secondary_check_script may run before its silence counts as "cannot decide". */
    SECONDARY_CHECK_TIMEOUT(false, Kind.POSITIVE, "60"),
    /** Seconds a server's clock may differ from the manager's before masterha_check_repl and the manager refuse. */
    MAX_CLOCK_SKEW(false, Kind.POSITIVE, "10"),
    /** The virtual IP the master holds (address/prefix): MHA4J moves it itself unless master_ip_failover_script is set. */
    VIP(false, Kind.VIP, null),
    /** The network interface that holds the virtual IP, on each host. */
    VIP_INTERFACE(false, Kind.INTERFACE, "eth0"),
    /** Gratuitous ARP from the host that takes the virtual IP, so that clients' ARP caches follow at once. */
    VIP_ARPING(false, Kind.BOOL, "1"),
    /**
     * Where managers agree which of them leads the application: {@code zookeeper://host:port[,host:port...][/path]}.
     * Unset, a manager leads alone, as MHA's does.
     */
    COORDINATION(false, Kind.COORDINATION, null),
    /**
     * Seconds of ZooKeeper session: how long a leader manager cut off from ZooKeeper keeps its leadership, so how long a
     * standby waits before it takes over. A leader stops changing servers after two thirds of it without an answer.
     */
    COORDINATION_SESSION_TIMEOUT(false, Kind.POSITIVE, "6");

    public enum Kind { TEXT, SECRET, HOST, REMOTE_DIRS, SSH_OPTIONS, VIP, INTERFACE, PORT, POSITIVE, BOOL, PING_TYPE, LOG_LEVEL, SEMI_SYNC, SEMI_SYNC_TIMEOUT, FENCE, DETECTION, HOOK_PASSWORD_MODE, COORDINATION }

    private final boolean local;
    private final Kind kind;
    private final String defaultValue;

    Parameter(boolean local, Kind kind, String defaultValue) {
        this.local = local;
        this.kind = kind;
        this.defaultValue = defaultValue;
    }

    private static final Map<String, Parameter> BY_KEY =
            Arrays.stream(values()).collect(Collectors.toMap(Parameter::key, Function.identity()));

    /** The key as written in a config file: {@code ping_interval}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Not inherited from {@code [server default]} (MHA's per-server identity and role keys). */
    public boolean local() {
        return local;
    }

    public Kind kind() {
        return kind;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean isMha4jAddition() {
        return this == SEMI_SYNC || this == SEMI_SYNC_TIMEOUT || this == NODE_BINDIR || this == FENCE || this == DETECTION
                || this == HOOK_PASSWORD_MODE || this == COORDINATION || this == COORDINATION_SESSION_TIMEOUT;
    }

    public static Optional<Parameter> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The known key closest to a misspelt one, if it is close enough to be a plausible typo. */
    public static Optional<String> suggest(String unknown) {
        String u = unknown.toLowerCase(Locale.ROOT);
        return BY_KEY.keySet().stream()
                .map(k -> Map.entry(k, distance(u, k)))
                .filter(e -> e.getValue() <= Math.max(2, e.getKey().length() / 4))
                .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }

    /** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters counts as one typo. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
