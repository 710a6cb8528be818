package org.mha4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.topology.Db;
import org.mha4j.topology.Dialect;

/**
 * A sandbox seen from another host: the manager runs in a network namespace, each server has an address of its own on
 * this host ({@code 10.213.N.1x}, through a proxy to its 127.0.0.1 port), and the replicas replicate from the master's
 * address. So the manager's route to one server can be cut alone (a blackhole route in its namespace), and the master
 * can be cut off from everyone (that route plus its proxy frozen) while clients on this host still reach it directly:
 * a partition with clients on both sides.
 */
public final class PartitionedCluster implements AutoCloseable {
    private final Netns ns;
    private final List<TcpProxy> proxies;
    private final Path conf;

    private PartitionedCluster(Netns ns, List<TcpProxy> proxies, Path conf) {
        this.ns = ns;
        this.proxies = proxies;
        this.conf = conf;
    }

    /** @param conf where to write the application config naming the servers by their new addresses (from the sandbox's) */
    public static PartitionedCluster create(Sandbox sb, Path conf) throws IOException, SQLException {
        int n = sb.nodes().size();
        int[] extra = new int[n];
        for (int i = 0; i < n; i++) extra[i] = 11 + i;
        Netns ns = Netns.create(extra);
        List<TcpProxy> proxies = new ArrayList<>();
        try {
            for (int node = 1; node <= n; node++) {
                int port = sb.node(node).port();
                proxies.add(new TcpProxy(ns.rootAddress(10 + node), port, "127.0.0.1", port));
            }
            PartitionedCluster c = new PartitionedCluster(ns, proxies, conf);
            for (int node = 2; node <= n; node++) {
                try (Connection con = sb.connect(node)) {
                    Dialect d = Dialect.of(con);
                    Db.execute(con, d.stopReplica());
                    Db.execute(con, d.changeMaster(c.address(1), sb.node(1).port(), Sandbox.REPL_USER, sb.replPassword()));
                    Db.execute(con, d.startReplica());
                }
            }
            String text = Files.readString(sb.configFile());
            for (int node = 1; node <= n; node++) {
                text = text.replace("hostname=127.0.0.1\nport=" + sb.node(node).port() + "\n",
                        "hostname=" + c.address(node) + "\nport=" + sb.node(node).port() + "\n");
            }
            Files.writeString(conf, text);
            return c;
        } catch (IOException | SQLException | RuntimeException e) {
            for (TcpProxy p : proxies) p.close();
            ns.close();
            throw e;
        }
    }

    public Path conf() {
        return conf;
    }

    /** The address the manager and the replicas know the node by. */
    public String address(int node) {
        return ns.rootAddress(10 + node);
    }

    /** A command line run on the manager's "host". */
    public List<String> onManagerHost(List<String> cmd) {
        return ns.command(cmd);
    }

    /** This host as the manager's host sees it: services listening on every address (ZooKeeper) are reached there. */
    public String hostAddress() {
        return ns.rootAddress(1);
    }

    /** The manager's host loses this host's address (and so what listens on it), nothing else. */
    public void cutManagerFromHost() {
        ns.cut(hostAddress());
    }

    public void healManagerToHost() {
        ns.heal(hostAddress());
    }

    /** Only the manager loses the node: the replicas still reach it. */
    public void cutManagerFrom(int node) {
        ns.cut(address(node));
    }

    public void healManagerTo(int node) {
        ns.heal(address(node));
    }

    /** The master cut off from the manager and the replicas, silently; clients on this host still reach it at 127.0.0.1. */
    public void isolateMaster() {
        cutManagerFrom(1);
        proxies.getFirst().freeze();
    }

    /** The master's link loses this share of its packets, for the manager and the replicas alike; 0 ends it. */
    public void lossyMaster(double probability) {
        proxies.getFirst().lossy(probability);
    }

    public void healMaster() {
        proxies.getFirst().thaw();
        healManagerTo(1);
    }

    @Override
    public void close() {
        for (TcpProxy p : proxies) {
            try {
                p.close();
            } catch (IOException ignored) {
                // going anyway
            }
        }
        ns.close();
    }
}
