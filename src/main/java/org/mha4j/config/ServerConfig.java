package org.mha4j.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code [serverN]} block after inheritance (global file, then the app's {@code [server default]}, then the
 * block itself). Typed accessors apply MHA's defaults; values were validated when the file was read.
 *
 * @param line the line of the block's header in the app file, for messages that point the operator at it
 */
public record ServerConfig(String block, int line, Map<Parameter, String> values) {
    /** What semi_sync_timeout=infinite sets: the largest rpl_semi_sync_master_timeout MySQL accepts (about 49.7 days). */
    public static final long SEMI_SYNC_TIMEOUT_INFINITE_MS = 4_294_967_295L;

    public ServerConfig {
        values = Map.copyOf(values);
    }

    public Optional<String> raw(String key) {
        return Parameter.byKey(key).flatMap(this::get);
    }

    public Optional<String> get(Parameter p) {
        return Optional.ofNullable(values.get(p)).or(p::defaultValue);
    }

    /** A hook: MHA's config templates write {@code shutdown_script=""}, which MHA takes as "none", as here. */
    private Optional<String> command(Parameter p) {
        return get(p).filter(s -> !s.isBlank());
    }

    private String text(Parameter p) {
        return get(p).orElse("");
    }

    private int number(Parameter p) {
        return Integer.parseInt(text(p).trim());
    }

    private boolean flag(Parameter p) {
        return Values.bool(text(p));
    }

    public String hostname() { return text(Parameter.HOSTNAME); }
    /** The address MySQL connections use: {@code ip} if written, else the hostname (resolved by the JDBC driver). */
    public String ip() { return get(Parameter.IP).orElse(hostname()); }

    /**
     * What MHA passes hooks as {@code --..._ip}: the configured ip, else the address hostname resolves to now (MHA
     * resolves it when it reads the config), else the hostname itself when it does not resolve.
     */
    public String resolvedIp() {
        if (get(Parameter.IP).isPresent()) return ip();
        try {
            return java.net.InetAddress.getByName(hostname()).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return hostname();
        }
    }
    public int port() { return number(Parameter.PORT); }
    public String user() { return text(Parameter.USER); }
    public Secret password() { return new Secret(text(Parameter.PASSWORD)); }
    public Optional<String> replUser() { return get(Parameter.REPL_USER); }
    public Optional<Secret> replPassword() { return get(Parameter.REPL_PASSWORD).map(Secret::new); }
    public String sshHost() { return get(Parameter.SSH_HOST).orElse(hostname()); }
    public int sshPort() { return number(Parameter.SSH_PORT); }
    public String sshUser() { return get(Parameter.SSH_USER).orElse(System.getProperty("user.name")); }
    public String sshOptions() { return text(Parameter.SSH_OPTIONS); }
    public int sshConnectionTimeout() { return number(Parameter.SSH_CONNECTION_TIMEOUT); }
    public boolean candidateMaster() { return flag(Parameter.CANDIDATE_MASTER); }
    public boolean noMaster() { return flag(Parameter.NO_MASTER); }
    public boolean ignoreFail() { return flag(Parameter.IGNORE_FAIL); }
    public boolean skipInitSshCheck() { return flag(Parameter.SKIP_INIT_SSH_CHECK); }
    public boolean skipResetSlave() { return flag(Parameter.SKIP_RESET_SLAVE); }
    public boolean disableLogBin() { return flag(Parameter.DISABLE_LOG_BIN); }
    public boolean handleRawBinlog() { return flag(Parameter.HANDLE_RAW_BINLOG); }
    /** MHA removes all whitespace from this comma list. */
    public String masterBinlogDir() { return text(Parameter.MASTER_BINLOG_DIR).replaceAll("\\s", ""); }

    /** master_binlog_dir's directories, in the order they are searched (MHA's comma-separated list). */
    public java.util.List<String> masterBinlogDirs() {
        return java.util.Arrays.stream(masterBinlogDir().split(",")).filter(d -> !d.isEmpty()).toList();
    }
    public String remoteWorkdir() { return text(Parameter.REMOTE_WORKDIR); }
    public String masterPidFile() { return text(Parameter.MASTER_PID_FILE); }
    public Optional<String> nodeLabel() { return get(Parameter.NODE_LABEL); }
    public Optional<String> clientBindir() { return get(Parameter.CLIENT_BINDIR); }
    /** MHA4J's former key for where the node tools were on the database hosts: accepted, no longer needed (agentless). */
    public Optional<String> nodeBindir() { return get(Parameter.NODE_BINDIR).filter(s -> !s.isBlank()); }
    /** How to call a node tool on this host: in node_bindir if set, else by name from its PATH. */
    public Optional<String> clientLibdir() { return get(Parameter.CLIENT_LIBDIR); }
    public boolean multiTierSlave() { return flag(Parameter.MULTI_TIER_SLAVE); }
    public boolean useGtidAutoPos() { return flag(Parameter.USE_GTID_AUTO_POS); }
    public boolean checkReplDelay() { return flag(Parameter.CHECK_REPL_DELAY); }
    public boolean checkReplFilter() { return flag(Parameter.CHECK_REPL_FILTER); }
    public boolean latestPriority() { return flag(Parameter.LATEST_PRIORITY); }
    public int pingInterval() { return number(Parameter.PING_INTERVAL); }
    public PingType pingType() { return PingType.valueOf(text(Parameter.PING_TYPE).toUpperCase(Locale.ROOT)); }
    public Optional<String> secondaryCheckScript() { return command(Parameter.SECONDARY_CHECK_SCRIPT); }
    public Optional<String> masterIpFailoverScript() { return command(Parameter.MASTER_IP_FAILOVER_SCRIPT); }
    public Optional<String> masterIpOnlineChangeScript() { return command(Parameter.MASTER_IP_ONLINE_CHANGE_SCRIPT); }
    public Optional<String> shutdownScript() { return command(Parameter.SHUTDOWN_SCRIPT); }
    public Optional<String> reportScript() { return command(Parameter.REPORT_SCRIPT); }
    public Optional<String> initConfLoadScript() { return command(Parameter.INIT_CONF_LOAD_SCRIPT); }
    public SemiSyncMode semiSync() { return SemiSyncMode.valueOf(text(Parameter.SEMI_SYNC).toUpperCase(Locale.ROOT)); }
    /** Milliseconds; {@code infinite} is the largest value the servers accept, so the master never falls back to async. */
    public long semiSyncTimeoutMs() {
        return semiSyncTimeoutMs(text(Parameter.SEMI_SYNC_TIMEOUT));
    }

    /** A semi_sync_timeout value (milliseconds or {@code infinite}) in milliseconds; an invalid one says why. */
    public static long semiSyncTimeoutMs(String value) {
        Values.problem(Parameter.SEMI_SYNC_TIMEOUT, value).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        String v = value.trim();
        return v.equalsIgnoreCase(Values.INFINITE) ? SEMI_SYNC_TIMEOUT_INFINITE_MS : Long.parseLong(v);
    }
    /** MHA4J: how a failover stops the old master taking writes where it can still be reached. */
    public Fence fence() { return Fence.valueOf(text(Parameter.FENCE).trim().toUpperCase(Locale.ROOT)); }
    /** MHA4J: whether a master that refuses connections is suspected at the first failed check. */
    /**
     * How hooks get passwords: MHA's way, as arguments ({@code --new_master_password=...}, visible in {@code ps}), or
     * with {@code hook_password_mode=env} only in environment variables. They are in the environment either way.
     */
    public boolean hookPasswordsOnCommandLine() {
        return !text(Parameter.HOOK_PASSWORD_MODE).trim().equalsIgnoreCase("env");
    }

    public Detection detection() { return Detection.valueOf(text(Parameter.DETECTION).trim().toUpperCase(Locale.ROOT)); }
    public String logLevel() { return text(Parameter.LOG_LEVEL).toLowerCase(Locale.ROOT); }
    public String managerWorkdir() { return text(Parameter.MANAGER_WORKDIR); }
    /** How long a hook may run before it and its children are killed (hook_timeout). */
    public java.time.Duration hookTimeout() { return java.time.Duration.ofSeconds(number(Parameter.HOOK_TIMEOUT)); }
    /** The virtual IP (address/prefix) MHA4J moves, when set. */
    public Optional<String> vip() { return get(Parameter.VIP).filter(v -> !v.isBlank()); }
    public String vipInterface() { return text(Parameter.VIP_INTERFACE); }
    public boolean vipArping() { return flag(Parameter.VIP_ARPING); }
    public java.time.Duration maxClockSkew() { return java.time.Duration.ofSeconds(number(Parameter.MAX_CLOCK_SKEW)); }
    public java.time.Duration secondaryCheckTimeout() { return java.time.Duration.ofSeconds(number(Parameter.SECONDARY_CHECK_TIMEOUT)); }
    public Optional<String> managerLog() { return get(Parameter.MANAGER_LOG); }
    /** zookeeper://... when managers share the application through ZooKeeper; empty when a manager leads alone. */
    public Optional<String> coordination() { return get(Parameter.COORDINATION).map(String::trim).filter(v -> !v.isEmpty()); }
    public java.time.Duration coordinationSessionTimeout() {
        return java.time.Duration.ofSeconds(number(Parameter.COORDINATION_SESSION_TIMEOUT));
    }

    /** "hostname:port", the identity MHA uses. */
    public String id() {
        return hostname() + ":" + port();
    }

    @Override
    public String toString() {
        return "ServerConfig[" + block + " " + id() + "]";
    }
}
