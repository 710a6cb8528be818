package org.mha4j.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.hook.HookCommand;
import org.mha4j.hook.HookRunner;
import org.mha4j.ssh.RemoteShell;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.ServerLabels;

/**
 * The inputs a failover depends on that a topology check does not see, checked when the manager starts (and by
 * masterha_check_repl), so that no failover stops half-way on them: the master's address as the manager and the
 * replicas know it, the hook programs, and a {@code --new_master_host} that names a server of the config.
 */
public final class StartChecks {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("mha");
    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration HOOK_TIMEOUT = Duration.ofSeconds(30);

    private StartChecks() {}

    public static List<Finding> run(AppConfig app, ServerConfig master, Optional<String> newMasterHost) {
        List<Finding> out = new ArrayList<>();
        sshToMaster(master).ifPresent(out::add);
        for (ServerConfig s : app.servers()) addressAgreement(app, s).ifPresent(out::add);
        for (String p : HookCommand.problems(master)) {
            out.add(Finding.error("hooks", null, p + " (" + app.file().getFileName() + ").",
                    "fix the path or the file's mode; a failover runs it after the replicas stopped receiving"));
        }
        newMasterHost.ifPresent(h -> {
            boolean known = app.servers().stream().anyMatch(s -> !s.equals(master)
                    && (s.hostname().equals(h) || s.ip().equals(h) || s.block().equals(h)));
            if (!known) {
                out.add(Finding.error("options", null, "--new_master_host=" + h + " is not a replica in " + app.file().getFileName()
                        + " (servers: " + String.join(", ", app.servers().stream().filter(s -> !s.equals(master)).map(ServerConfig::id).toList()) + ").",
                        "name the hostname of one of them"));
            }
        });
        return out;
    }

    /**
     * {@link #run} and, without GTID, the node tools on every replica's host, which a failover by file and position
     * needs (or it would be refused when it is needed): what the manager's start and masterha_check_repl check.
     */
    public static List<Finding> forFailover(AppConfig app, MasterResolution.Resolved r, Optional<String> newMasterHost) {
        List<Finding> out = new ArrayList<>(run(app, r.master(), newMasterHost));
        if (out.stream().noneMatch(f -> f.check().equals("hooks"))) out.addAll(hookStatus(r.master()));
        hookPasswords(r.master()).ifPresent(out::add);
        if (!r.replicas().isEmpty() && r.replicas().stream().noneMatch(s -> s.replica().orElseThrow().usesGtid())) {
            out.addAll(LogAccessCheck.run(r));
        }
        out.addAll(vipInterfaces(r));
        return out;
    }

    /**
     * With a virtual IP MHA4J moves itself, the interface must exist on the master's host and on every host that can
     * take the role: found missing in a failover, clients would reach no master.
     */
    private static List<Finding> vipInterfaces(MasterResolution.Resolved r) {
        ServerConfig m = r.master();
        if (m.vip().isEmpty() || m.masterIpFailoverScript().isPresent()) return List.of();
        List<ServerConfig> hosts = new ArrayList<>(List.of(m));
        r.replicas().stream().map(ServerSnapshot::config).filter(c -> !c.noMaster()).forEach(hosts::add);
        List<Finding> out = new ArrayList<>();
        try (org.mha4j.ssh.RemoteShell sh = org.mha4j.ssh.RemoteShell.forServer(m, true)) {
            for (ServerConfig h : hosts) {
                org.mha4j.vip.VirtualIp.interfaceProblem(h, sh).ifPresent(p -> out.add(Finding.error("vip", org.mha4j.topology.ServerLabels.label(h), p,
                        "set vip_interface to the interface that carries the service address on that host (ip -br link)")));
            }
        }
        return out;
    }

    /** MHA's hook status calls, which MHA's manager and masterha_check_repl both run: a failing one stops the start. */
    private static List<Finding> hookStatus(ServerConfig master) {
        List<Finding> out = new ArrayList<>();
        master.masterIpFailoverScript().ifPresentOrElse(
                script -> statusOf("master_ip_failover_script", HookCommand.masterIpFailoverStatus(script, master),
                        "failed to get master_ip_failover_script status", out),
                () -> out.add(Finding.warning("hooks", null, "master_ip_failover_script is not defined.",
                        "set it, or make sure applications find the new master by other means (proxy, DNS)")));
        master.shutdownScript().ifPresentOrElse(
                script -> statusOf("shutdown_script", HookCommand.shutdownStatus(script, master), "failed to get power status", out),
                () -> out.add(Finding.info("hooks", null, "shutdown_script is not defined.")));
        return out;
    }

    /** Runs a hook's {@code --command=status}, as MHA does before it trusts the hook in a failover. */
    private static void statusOf(String name, HookCommand cmd, String failure, List<Finding> out) {
        log.info("Checking {} status:", name);
        log.info("  {}", cmd.shown());
        HookRunner.Result r = HookRunner.run(cmd, HOOK_TIMEOUT);
        if (!r.output().isBlank()) log.info("{}", r.output().strip());
        if (!r.ok()) {
            out.add(Finding.error("hooks", null, failure + " with return code " + (r.timedOut() ? "timeout" : r.exitCode()) + ".",
                    "run the line above by hand and fix the script"));
        }
    }

    /** Passwords on hook command lines are MHA's contract, and visible in {@code ps} to every user of the host. */
    static Optional<Finding> hookPasswords(ServerConfig master) {
        boolean passwordHook = master.masterIpFailoverScript().isPresent() || master.masterIpOnlineChangeScript().isPresent()
                || master.secondaryCheckScript().isPresent();
        if (!passwordHook || !master.hookPasswordsOnCommandLine()) return Optional.empty();
        return Optional.of(Finding.warning("hook_password", null, "hooks get passwords on their command line, as in MHA"
                        + " (--new_master_password, --orig_master_password, --master_password): any user of this host can read them with ps.",
                "make the scripts read MHA_NEW_MASTER_PASSWORD / MHA_ORIG_MASTER_PASSWORD / MHA_MASTER_PASSWORD from the environment,"
                        + " then set hook_password_mode=env"));
    }

    /**
     * The master's host over SSH: a failover reads the dead master's binlog there, so that commits acknowledged after a
     * fallback to async are not lost. Not fatal (a dead host is what failovers are for), but worth a warning at start.
     */
    static Optional<Finding> sshToMaster(ServerConfig master) {
        return RemoteShell.unreachable(master).map(why -> Finding.warning("ssh", ServerLabels.label(master),
                "the master's host " + master.sshHost() + " does not answer SSH as " + master.sshUser() + " (" + why + "): if it fails over, its binlog cannot be read, and commits it acknowledged"
                        + " after a fallback to asynchronous replication would be lost.",
                "masterha_check_ssh shows the details; fix ssh_user, ssh_port or ssh_options"));
    }

    /**
     * An explicit {@code ip} that is not an address of {@code hostname}: the manager would watch one server (ip) while
     * the replicas replicate from another (hostname), and could fail over a master that is healthy.
     */
    static Optional<Finding> addressAgreement(AppConfig app, ServerConfig s) {
        if (s.ip().equals(s.hostname())) return Optional.empty();
        Optional<List<InetAddress>> host = resolve(s.hostname());
        Optional<List<InetAddress>> ip = resolve(s.ip());
        if (host.isEmpty() || ip.isEmpty()) return Optional.empty();  // the connect check names an unknown host
        if (host.get().stream().anyMatch(ip.get()::contains)) return Optional.empty();
        String where = app.file().getFileName() + ":" + s.line() + " ([" + s.block() + "])";
        return Optional.of(Finding.error("config", ServerLabels.label(s), "ip=" + s.ip() + " is not an address of hostname=" + s.hostname()
                        + " (it resolves to " + String.join(", ", host.get().stream().map(InetAddress::getHostAddress).toList()) + ") in "
                        + where + ": the manager connects to ip while replicas replicate from hostname, so it could watch another server"
                        + " than their master.",
                "make them agree, or remove ip= (it defaults to the hostname's address)"));
    }

    private static Optional<List<InetAddress>> resolve(String name) {
        CompletableFuture<List<InetAddress>> f = CompletableFuture.supplyAsync(() -> {
            try {
                return Arrays.asList(InetAddress.getAllByName(name));
            } catch (UnknownHostException e) {
                return List.of();
            }
        });
        try {
            List<InetAddress> a = f.get(RESOLVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return a.isEmpty() ? Optional.empty() : Optional.of(a);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
