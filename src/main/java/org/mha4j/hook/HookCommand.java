package org.mha4j.hook;

import java.util.ArrayList;
import java.util.List;
import org.mha4j.config.ServerConfig;

/**
 * A hook script invocation with MHA's exact arguments. The configured value is used as written (it may carry its
 * own leading arguments, as in {@code "/etc/mha/master_ip_failover.sh 10.1.1.100 1"}) and run by the shell, as MHA
 * does; every argument MHA4J appends is shell-quoted.
 */
public record HookCommand(String configured, List<String> arguments) {

    public String shellLine() {
        StringBuilder sb = new StringBuilder(configured);
        for (String a : arguments) sb.append(' ').append(quote(a));
        return sb.toString();
    }

    /** {@code master_ip_failover_script --command=status} as run when monitoring starts and by check_repl. */
    public static HookCommand masterIpFailoverStatus(String script, ServerConfig master) {
        List<String> a = new ArrayList<>(List.of("--command=status", "--ssh_user=" + master.sshUser(),
                "--orig_master_host=" + master.hostname(), "--orig_master_ip=" + master.ip(),
                "--orig_master_port=" + master.port()));
        a.addAll(sshArgs("orig_master_", master));
        return new HookCommand(script, a);
    }

    /** {@code shutdown_script --command=status}: can the power of the master's host be controlled? */
    public static HookCommand shutdownStatus(String script, ServerConfig master) {
        List<String> a = new ArrayList<>(List.of("--command=status", "--ssh_user=" + master.sshUser(),
                "--host=" + master.hostname(), "--ip=" + master.ip()));
        a.addAll(sshArgs("", master));
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
