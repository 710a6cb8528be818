package org.mha4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test or a benchmark creates and removes: a "host" joined to this one by a veth pair. The root side gets
 * {@code 10.213.N.1} and any extra addresses asked for ({@code 10.213.N.11}, ...), the namespace side {@code 10.213.N.2};
 * a route from the namespace to one of them can be blackholed and restored, which cuts exactly that path. Root only.
 */
public final class Netns implements AutoCloseable {
    private final String name;
    private final String rootIf;
    private final String net;
    private final List<String> blackholed = new ArrayList<>();

    private Netns(String name, String rootIf, String net) {
        this.name = name;
        this.rootIf = rootIf;
        this.net = net;
    }

    public static boolean available() {
        boolean ip = new java.io.File("/usr/sbin/ip").canExecute() || new java.io.File("/sbin/ip").canExecute();
        return ip && "root".equals(System.getProperty("user.name"));
    }

    /** @param extraRootHosts last octets of further addresses on the root side (one per server the namespace should see) */
    public static Netns create(int... extraRootHosts) {
        int n = 1 + (int) (ProcessHandle.current().pid() % 200);
        String name = "mha4j-t" + n;
        Netns ns = new Netns(name, "mha4j" + n + "a", "10.213." + n);
        ns.ipQuiet("netns", "del", name);
        ns.ipQuiet("link", "del", ns.rootIf);
        ns.ip("netns", "add", name);
        ns.ip("link", "add", ns.rootIf, "type", "veth", "peer", "name", "mha4j" + n + "b");
        ns.ip("link", "set", "mha4j" + n + "b", "netns", name);
        ns.ip("addr", "add", ns.net + ".1/24", "dev", ns.rootIf);
        for (int h : extraRootHosts) ns.ip("addr", "add", ns.net + "." + h + "/32", "dev", ns.rootIf);
        ns.ip("link", "set", ns.rootIf, "up");
        ns.ip("-n", name, "addr", "add", ns.net + ".2/24", "dev", "mha4j" + n + "b");
        ns.ip("-n", name, "link", "set", "mha4j" + n + "b", "up");
        ns.ip("-n", name, "link", "set", "lo", "up");
        return ns;
    }

    /** An address of the root side, as seen from the namespace. */
    public String rootAddress(int lastOctet) {
        return net + "." + lastOctet;
    }

    /** The command, run inside the namespace. */
    public List<String> command(List<String> cmd) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(cmd);
        return out;
    }

    /** From inside the namespace, packets to this root-side address go nowhere: a cut link, silently. */
    public void cut(String address) {
        ip("-n", name, "route", "add", "blackhole", address + "/32");
        blackholed.add(address);
    }

    public void heal(String address) {
        ip("-n", name, "route", "del", "blackhole", address + "/32");
        blackholed.remove(address);
    }

    @Override
    public void close() {
        ipQuiet("netns", "del", name);
        ipQuiet("link", "del", rootIf);
    }

    private void ip(String... args) {
        String out = run(args);
        if (out != null) throw new IllegalStateException("ip " + String.join(" ", args) + ": " + out);
    }

    private void ipQuiet(String... args) {
        run(args);
    }

    /** @return null on success, else what ip printed */
    private static String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : out.strip();
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
