package org.mha4j.semisync;

import java.util.ArrayList;
import java.util.List;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.SemiSyncNames;
import org.mha4j.topology.SemiSyncState;
import org.mha4j.topology.ServerSnapshot;

/**
 * Turns an intent (enable, disable, uninstall, tune) and a topology snapshot into statements per server. Pure:
 * the statements depend only on each server's flavour, version and what it already has loaded, so running a plan
 * twice changes nothing the second time.
 */
public final class SemiSyncPlanner {
    private SemiSyncPlanner() {}

    /**
     * Master side on the master only; replica side on every replica, whose IO thread is restarted so it registers.
     * A replica's master side is switched off: with log_slave_updates its SQL thread would wait for acknowledgements
     * that never come.
     */
    public static List<ServerAction> enable(MasterResolution.Resolved r, SemiSyncSettings s) {
        List<ServerAction> out = new ArrayList<>();
        ServerSnapshot m = master(r);
        Statements master = new Statements(m);
        master.installIfMissing(true);
        if (master.dialect.semiSyncWaitPoint()) master.set(master.names.masterVar("wait_point"), s.waitPoint());
        master.set(master.names.masterVar("timeout"), Long.toString(s.timeoutMs()));
        if (master.dialect.semiSyncWaitCount()) {
            s.waitForReplicas().ifPresent(k -> master.set(master.names.masterVar("wait_for_" + master.names.replica() + "_count"), Integer.toString(k)));
        }
        master.set(master.names.masterVar("enabled"), "ON");
        out.add(master.action("master", false));
        for (ServerSnapshot replica : r.replicas()) {
            Statements st = new Statements(replica);
            st.installIfMissing(false);
            SemiSyncState ss = replica.semiSync();
            st.set(st.names.replicaVar("enabled"), "ON");
            if (ss.masterEnabled()) st.set(st.names.masterVar("enabled"), "OFF");
            else st.cnf(st.names.masterVar("enabled"), "OFF");
            // The master side's settings wait, switched off, on every replica: whichever is promoted keeps the promise.
            if (st.has(st.names.masterVar("timeout"))) {
                if (st.dialect.semiSyncWaitPoint()) st.set(st.names.masterVar("wait_point"), s.waitPoint());
                st.set(st.names.masterVar("timeout"), Long.toString(s.timeoutMs()));
            }
            boolean registered = ss.replicaEnabled() && ss.replicaActive().orElse(false);
            out.add(st.action("replica", !registered));
        }
        return out;
    }

    /** Both sides off everywhere; replicas reconnect as plain asynchronous clients. */
    public static List<ServerAction> disable(MasterResolution.Resolved r) {
        List<ServerAction> out = new ArrayList<>();
        ServerSnapshot m = master(r);
        Statements master = new Statements(m);
        if (master.has(master.names.masterVar("enabled"))) master.set(master.names.masterVar("enabled"), "OFF");
        out.add(master.action("master", false));
        for (ServerSnapshot replica : r.replicas()) {
            Statements st = new Statements(replica);
            boolean was = replica.semiSync().replicaEnabled();
            if (st.has(st.names.replicaVar("enabled"))) st.set(st.names.replicaVar("enabled"), "OFF");
            if (replica.semiSync().masterEnabled()) st.set(st.names.masterVar("enabled"), "OFF");
            out.add(st.action("replica", was));
        }
        return out;
    }

    /** The seed's section 4: disable, then UNINSTALL PLUGIN where semi-sync is a plugin (MariaDB's is built in). */
    public static List<ServerAction> uninstall(MasterResolution.Resolved r) {
        List<ServerAction> disabled = disable(r);
        List<ServerAction> out = new ArrayList<>();
        for (ServerAction a : disabled) {
            ServerSnapshot s = a.server();
            SemiSyncNames n = s.semiSync().names();
            List<String> sql = new ArrayList<>(a.sql());
            List<String> cnf = new ArrayList<>();
            if (!n.builtIn()) {
                if (s.variables().containsKey(n.masterVar("enabled"))) sql.add("UNINSTALL PLUGIN " + n.masterPlugin());
                if (s.variables().containsKey(n.replicaVar("enabled"))) sql.add("UNINSTALL PLUGIN " + n.replicaPlugin());
                cnf.add("# remove plugin-load-add=" + n.masterLibrary() + " / " + n.replicaLibrary() + " and every rpl_semi_sync_* line");
            } else {
                cnf.addAll(a.myCnfLines());
            }
            out.add(new ServerAction(s, a.role(), sql, a.restartIo(), cnf));
        }
        return out;
    }

    /** The seed's section 3: a new timeout (and optionally wait point) wherever the master side exists. */
    public static List<ServerAction> tune(MasterResolution.Resolved r, long timeoutMs, String waitPoint) {
        List<ServerAction> out = new ArrayList<>();
        List<ServerSnapshot> all = new ArrayList<>(r.replicas());
        all.addFirst(master(r));
        for (ServerSnapshot s : all) {
            Statements st = new Statements(s);
            // Replicas get it too where the variable exists: a replica promoted later keeps the same promise.
            if (!st.has(st.names.masterVar("timeout"))) continue;
            st.set(st.names.masterVar("timeout"), Long.toString(timeoutMs));
            if (waitPoint != null && st.dialect.semiSyncWaitPoint()) st.set(st.names.masterVar("wait_point"), waitPoint);
            out.add(st.action(s == all.getFirst() ? "master" : "replica", false));
        }
        return out;
    }

    private static ServerSnapshot master(MasterResolution.Resolved r) {
        return r.masterSnapshot().orElseThrow(() -> new IllegalArgumentException(
                "the master " + r.master().block() + " (" + r.master().id() + ") is not reachable: semi-sync can only be changed on a running master"));
    }

    /** Accumulates one server's statements and matching my.cnf lines. */
    private static final class Statements {
        final ServerSnapshot s;
        final Dialect dialect;
        final SemiSyncNames names;
        final List<String> sql = new ArrayList<>();
        final List<String> cnf = new ArrayList<>();

        Statements(ServerSnapshot s) {
            this.s = s;
            this.dialect = Dialect.of(s.version());
            this.names = s.semiSync().names();
        }

        boolean has(String variable) {
            return s.variables().containsKey(variable);
        }

        void installIfMissing(boolean masterSide) {
            if (names.builtIn()) return;
            String var = masterSide ? names.masterVar("enabled") : names.replicaVar("enabled");
            String plugin = masterSide ? names.masterPlugin() : names.replicaPlugin();
            String lib = masterSide ? names.masterLibrary() : names.replicaLibrary();
            if (!has(var)) sql.add("INSTALL PLUGIN " + plugin + " SONAME '" + lib + "'");
            if (!dialect.setPersist()) cnf.add("plugin-load-add=" + lib);
        }

        void set(String variable, String value) {
            sql.add((dialect.setPersist() ? "SET PERSIST " : "SET GLOBAL ") + variable + "=" + value);
            cnf(variable, value);
        }

        void cnf(String variable, String value) {
            if (!dialect.setPersist()) cnf.add(variable + "=" + value);
        }

        ServerAction action(String role, boolean restartIo) {
            return new ServerAction(s, role, List.copyOf(sql), restartIo, List.copyOf(cnf));
        }
    }
}
