package org.mha4j.hook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.config.ServerConfig;

/**
 * A hook script invocation with MHA's exact arguments. The configured value is used as written (it may carry its
 * own leading arguments, as in {@code "/etc/mha/master_ip_failover.sh 10.1.1.100 1"}) and run by the shell, as MHA
 * does; every argument MHA4J appends is shell-quoted.
 */
public record HookCommand(String configured, List<String> arguments, Map<String, String> environment) {

    public HookCommand(String configured, List<String> arguments) {
        this(configured, arguments, Map.of());
    }

    /** What the log and the failover record show: the command line with every password argument as {@code ******}. */
    @Override
    public String toString() {
        return shown();
    }

    public String shown() {
        return line(a -> a.matches("--[a-z_]*password=.*") ? a.replaceFirst("=.*", "=******") : quote(a));
    }

    /** The line the shell runs, passwords included (hook_password_mode=command_line): never log it. */
    public String shellLine() {
        return line(HookCommand::quote);
    }

    private String line(java.util.function.UnaryOperator<String> argument) {
        StringBuilder sb = new StringBuilder(configured);
        for (String a : arguments) sb.append(' ').append(argument.apply(a));
        return sb.toString();
    }

    /**
     * Why a configured hook could not run, checked before a failover changes anything (a hook that cannot start aborts
     * the failover after the replicas stopped receiving): its program must exist and be executable.
     */
    public static List<String> problems(ServerConfig master) {
        List<String> out = new ArrayList<>();
        Map<String, Optional<String>> hooks = new LinkedHashMap<>();
        hooks.put("master_ip_failover_script", master.masterIpFailoverScript());
        hooks.put("shutdown_script", master.shutdownScript());
        hooks.put("report_script", master.reportScript());
        hooks.put("secondary_check_script", master.secondaryCheckScript());
        hooks.forEach((key, value) -> value.flatMap(HookCommand::problem).ifPresent(p -> out.add(key + " " + p)));
        return out;
    }

    /** The program of a configured hook line (its first word after any NAME=value assignments): missing or not executable. */
    static Optional<String> problem(String configured) {
        String program = Arrays.stream(configured.strip().split("\\s+")).map(w -> w.replaceAll("^[\"']|[\"']$", ""))
                .filter(w -> !w.matches("[A-Za-z_][A-Za-z0-9_]*=.*")).findFirst().orElse("");
        if (program.isEmpty()) return Optional.of("is empty");
        if (!program.contains("/")) {
            boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                    .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
            return found ? Optional.empty() : Optional.of("'" + program + "' is not found in the PATH of the manager");
        }
        Path p = Path.of(program);
        if (!Files.exists(p)) return Optional.of(program + " does not exist");
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            return Optional.of(program + " is not an executable file (chmod +x " + program + ")");
        }
        return Optional.empty();
    }

    /** {@code master_ip_failover_script --command=status} as masterha_check_repl runs it (MHA's manager also does at start). */
    public static HookCommand masterIpFailoverStatus(String script, ServerConfig master) {
        List<String> a = new ArrayList<>(List.of("--command=status", "--ssh_user=" + master.sshUser(),
                "--orig_master_host=" + master.hostname(), "--orig_master_ip=" + master.resolvedIp(),
                "--orig_master_port=" + master.port()));
        a.addAll(sshArgs("orig_master_", master));
        return new HookCommand(script, a);
    }

    /** {@code shutdown_script --command=status}: can the power of the master's host be controlled? */
    public static HookCommand shutdownStatus(String script, ServerConfig master) {
        List<String> a = new ArrayList<>(List.of("--command=status", "--ssh_user=" + master.sshUser(),
                "--host=" + master.hostname(), "--ip=" + master.resolvedIp()));
        a.addAll(sshArgs("", master));
        return new HookCommand(script, a);
    }

    /**
     * Phase 2: take the virtual IP off the dead master. {@code stopssh} when its host still answers SSH (the script may
     * log in and run ifconfig there), {@code stop} otherwise.
     */
    public static HookCommand masterIpFailoverStop(String script, ServerConfig dead, boolean sshReachable) {
        List<String> a = new ArrayList<>(List.of("--orig_master_host=" + dead.hostname(), "--orig_master_ip=" + dead.resolvedIp(),
                "--orig_master_port=" + dead.port()));
        a.add(sshReachable ? "--command=stopssh" : "--command=stop");
        a.add("--ssh_user=" + dead.sshUser());
        a.addAll(sshArgs("orig_master_", dead));
        return new HookCommand(script, a);
    }

    /**
     * Phase 3: move the virtual IP to the new master. The password goes as MHA passes it, {@code --new_master_password}
     * last, unless hook_password_mode=env; it is in the environment as MHA_NEW_MASTER_PASSWORD either way.
     */
    public static HookCommand masterIpFailoverStart(String script, ServerConfig dead, ServerConfig newMaster) {
        List<String> a = new ArrayList<>(List.of("--command=start", "--ssh_user=" + newMaster.sshUser(),
                "--orig_master_host=" + dead.hostname(), "--orig_master_ip=" + dead.resolvedIp(), "--orig_master_port=" + dead.port(),
                "--new_master_host=" + newMaster.hostname(), "--new_master_ip=" + newMaster.resolvedIp(),
                "--new_master_port=" + newMaster.port(), "--new_master_user=" + newMaster.user()));
        a.addAll(sshArgs("orig_master_", dead));
        a.addAll(sshArgs("new_master_", newMaster));
        if (dead.hookPasswordsOnCommandLine()) a.add("--new_master_password=" + newMaster.password().reveal());
        return new HookCommand(script, a, Map.of("MHA_NEW_MASTER_PASSWORD", newMaster.password().reveal()));
    }

    /**
     * Online switch: {@code --command=stop} before writes are blocked, {@code start} once the new master is writable.
     * MHA's --orig_master_password/--new_master_password come last unless hook_password_mode=env; they are in the
     * environment (MHA_ORIG_MASTER_PASSWORD, MHA_NEW_MASTER_PASSWORD) either way.
     */
    public static HookCommand masterIpOnlineChange(String script, String command, ServerConfig orig, ServerConfig neu,
                                                   boolean origIsNewSlave) {
        List<String> a = new ArrayList<>(List.of("--command=" + command,
                "--orig_master_host=" + orig.hostname(), "--orig_master_ip=" + orig.resolvedIp(), "--orig_master_port=" + orig.port(),
                "--orig_master_user=" + orig.user(), "--new_master_host=" + neu.hostname(), "--new_master_ip=" + neu.resolvedIp(),
                "--new_master_port=" + neu.port(), "--new_master_user=" + neu.user(),
                "--orig_master_ssh_user=" + orig.sshUser(), "--new_master_ssh_user=" + neu.sshUser()));
        a.addAll(sshArgs("orig_master_", orig));
        a.addAll(sshArgs("new_master_", neu));
        if (origIsNewSlave) a.add("--orig_master_is_new_slave");
        if (orig.hookPasswordsOnCommandLine()) {
            a.add("--orig_master_password=" + orig.password().reveal());
            a.add("--new_master_password=" + neu.password().reveal());
        }
        return new HookCommand(script, a, Map.of("MHA_ORIG_MASTER_PASSWORD", orig.password().reveal(),
                "MHA_NEW_MASTER_PASSWORD", neu.password().reveal()));
    }

    /** Phase 2: power off the dead master's host (0 = powered off, 10 = mysqld killed over SSH). */
    public static HookCommand shutdownStop(String script, ServerConfig dead, boolean sshReachable) {
        List<String> a = new ArrayList<>(List.of(sshReachable ? "--command=stopssh" : "--command=stop",
                "--ssh_user=" + dead.sshUser(), "--host=" + dead.hostname(), "--ip=" + dead.resolvedIp(), "--port=" + dead.port()));
        if (!dead.masterPidFile().isBlank()) a.add("--pid_file=" + dead.masterPidFile());
        a.addAll(sshArgs("", dead));
        return new HookCommand(script, a);
    }

    /**
     * MHA's arguments of secondary_check_script: {@code --master_password} unless hook_password_mode=env (then only in
     * MHA_MASTER_PASSWORD), and {@code --options} with the ssh_options, as MHA appends them.
     */
    public static HookCommand secondaryCheck(String script, ServerConfig master) {
        List<String> a = new ArrayList<>(List.of("--user=" + master.sshUser(), "--master_host=" + master.hostname(),
                "--master_ip=" + master.resolvedIp(), "--master_port=" + master.port(), "--master_user=" + master.user()));
        if (master.hookPasswordsOnCommandLine()) a.add("--master_password=" + master.password().reveal());
        a.add("--ping_type=" + master.pingType());
        if (!master.sshOptions().isBlank()) a.add("--options=" + master.sshOptions());
        return new HookCommand(script, a, Map.of("MHA_MASTER_PASSWORD", master.password().reveal()));
    }

    /** End of a failover: MHA's mail-style report. */
    public static HookCommand report(String script, ServerConfig dead, ServerConfig newMaster, List<ServerConfig> newReplicas,
                                     Path conf, String subject, String body) {
        List<String> a = new ArrayList<>(List.of("--orig_master_host=" + dead.hostname()));
        if (newMaster != null) {
            a.add("--new_master_host=" + newMaster.hostname());
            a.add("--new_slave_hosts=" + String.join(",", newReplicas.stream().map(ServerConfig::hostname).toList()));
        }
        a.add("--conf=" + conf);
        a.add("--subject=" + subject);
        a.add("--body=" + body);
        return new HookCommand(script, a);
    }

    /** MHA's {@code get_ssh_args_if}: SSH details only where they differ from the defaults. */
    static List<String> sshArgs(String prefix, ServerConfig s) {
        List<String> a = new ArrayList<>();
        if (!s.sshHost().equals(s.hostname())) {
            a.add("--" + prefix + "ssh_host=" + s.sshHost());
            a.add("--" + prefix + "ssh_ip=" + s.sshHost());
        }
        if (s.sshPort() != 22) a.add("--" + prefix + "ssh_port=" + s.sshPort());
        if (!s.sshOptions().isBlank()) a.add("--ssh_options=" + s.sshOptions());
        return a;
    }

    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_=./:@,+-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
