package org.mha4j.sandbox;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mha sandbox}: a real local MariaDB replication cluster for trying MHA4J and for its tests. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"A local MariaDB replication cluster on 127.0.0.1: one master, replicas with GTID and semi-sync,",
                "a private sshd, and an MHA-format config file for it. Needs mariadb-server and openssh-server."},
        subcommands = {SandboxCommand.Up.class, SandboxCommand.Down.class, SandboxCommand.Status.class,
                SandboxCommand.StopNode.class, SandboxCommand.StartNode.class, SandboxCommand.KillNode.class})
public final class SandboxCommand {

    static class DirOption {
        @Option(names = "--dir", defaultValue = "./sandbox-data", paramLabel = "DIR",
                description = "Sandbox directory (default: ${DEFAULT-VALUE}).")
        Path dir;
    }

    abstract static class Base implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        DirOption dirOption;

        @Override
        public Integer call() {
            try {
                return run(dirOption.dir);
            } catch (SandboxException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }

        abstract int run(Path dir);
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Create and start the cluster, write <dir>/app1.conf.")
    static final class Up extends Base {
        @Option(names = "--nodes", defaultValue = "3", description = "Number of servers, the first being the master (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--base-port", converter = org.mha4j.options.Numbers.PortOrZero.class, defaultValue = "0", description = "Port of node 1, the others follow; 0 picks free ports (default).")
        int basePort;

        @Option(names = "--flavor", defaultValue = "mariadb", description = "mariadb (Debian's, default), mariadb-11.4 or mysql-5.6 (fetched by Maven, unpacked once).")
        String flavor;

        @Option(names = "--replication", defaultValue = "gtid", paramLabel = "gtid|position",
                description = "gtid (default) or position: replicas by binlog file and position, relay_log_purge=0, as MHA clusters without GTID.")
        String replication;

        @Override
        int run(Path dir) {
            if (!replication.equals("gtid") && !replication.equals("position")) {
                throw new SandboxException("--replication must be gtid or position, not " + replication);
            }
            Sandbox sb = Sandbox.create(dir, nodes, basePort, SandboxFlavor.parse(flavor));
            if (replication.equals("position")) sb.positionReplication();
            sb.up();
            System.out.println("Sandbox up in " + sb.dir() + ":");
            sb.status().forEach(l -> System.out.println("  " + l));
            sb.sshd().ifPresent(s -> System.out.println("  sshd     127.0.0.1:" + s.port() + " (key " + s.clientKey() + ")"));
            System.out.println("MHA config: " + sb.configFile());
            System.out.println("Next: bin/masterha_check_repl --conf=" + sb.configFile());
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every server and the sshd, remove the directory.")
    static final class Down extends Base {
        @Override
        int run(Path dir) {
            Sandbox.open(dir).down();
            System.out.println("Sandbox in " + dir + " removed.");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "One line per server: port, pid, running or not, role.")
    static final class Status extends Base {
        @Override
        int run(Path dir) {
            Sandbox sb = Sandbox.open(dir);
            sb.status().forEach(System.out::println);
            System.out.println("config: " + sb.configFile());
            return 0;
        }
    }

    abstract static class NodeCommand extends Base {
        @Parameters(index = "0", paramLabel = "N", description = "Node number (1 is the initial master).")
        int node;
    }

    @Command(name = "stop-node", mixinStandardHelpOptions = true, description = "Clean shutdown of node N.")
    static final class StopNode extends NodeCommand {
        @Override
        int run(Path dir) {
            Sandbox.open(dir).stopNode(node);
            System.out.println("node" + node + " stopped.");
            return 0;
        }
    }

    @Command(name = "start-node", mixinStandardHelpOptions = true, description = "Start node N again with its my.cnf.")
    static final class StartNode extends NodeCommand {
        @Override
        int run(Path dir) {
            Sandbox.open(dir).startNode(node);
            System.out.println("node" + node + " running.");
            return 0;
        }
    }

    @Command(name = "kill-node", mixinStandardHelpOptions = true, description = "SIGKILL node N's mariadbd, as a crash would.")
    static final class KillNode extends NodeCommand {
        @Override
        int run(Path dir) {
            Sandbox.open(dir).killNode(node);
            System.out.println("node" + node + " killed.");
            return 0;
        }
    }
}
