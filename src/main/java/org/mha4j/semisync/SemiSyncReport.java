package org.mha4j.semisync;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.MasterResolution;
import org.mha4j.topology.ServerProbe;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.SemiSyncState;
import org.mha4j.topology.Topology;

/** {@code mha semisync status}: one row per server and one verdict for the cluster. Pure: built from a topology snapshot. */
public record SemiSyncReport(List<Row> rows, Verdict verdict, String verdictText) {

    public enum Verdict {
        LOSSLESS(0), DEGRADED(2), OFF(3), UNKNOWN(1);

        /** The command's exit code, for monitoring scripts. */
        public final int exitCode;

        Verdict(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    public record Row(String server, String role, String masterSide, String replicaSide, String status, String clients,
                      String yesTx, String noTx, String avgWaitUs, String timeoutMs, String waitPoint) {}

    public static SemiSyncReport of(Topology t) {
        MasterResolution res = org.mha4j.topology.MasterResolver.resolve(t);
        Optional<MasterResolution.Resolved> resolved = res instanceof MasterResolution.Resolved r ? Optional.of(r) : Optional.empty();
        List<Row> rows = new ArrayList<>();
        for (ServerProbe p : t.probes()) {
            String role = resolved.map(r -> r.master().equals(p.config()) ? "master"
                    : r.replicas().stream().anyMatch(s -> s.config().equals(p.config())) ? "replica" : "-").orElse("?");
            rows.add(p.alive().map(s -> row(s, role)).orElseGet(() -> new Row(p.label(), role, "-", "-", "unreachable",
                    "-", "-", "-", "-", "-", "-")));
        }
        if (resolved.isEmpty()) {
            return new SemiSyncReport(rows, Verdict.UNKNOWN, "unknown: the master cannot be determined (run masterha_check_repl)");
        }
        Optional<ServerSnapshot> m = resolved.get().masterSnapshot();
        if (m.isEmpty()) return new SemiSyncReport(rows, Verdict.UNKNOWN, "unknown: the master " + resolved.get().master().block() + " is not reachable");
        return verdict(rows, m.get().semiSync());
    }

    static SemiSyncReport verdict(List<Row> rows, SemiSyncState s) {
        if (!s.available() || !s.masterEnabled()) {
            return new SemiSyncReport(rows, Verdict.OFF, "off: semi-sync is not enabled on the master; replication is asynchronous");
        }
        if (!s.masterActive().orElse(true)) {
            return new SemiSyncReport(rows, Verdict.DEGRADED, "degraded: master fell back to async (no_tx=" + text(s.noTx())
                    + " since it started; a commit waited " + timeout(s.timeoutMs()) + " for an acknowledgement that did not come)");
        }
        if (s.clients().orElse(0) == 0) {
            return new SemiSyncReport(rows, Verdict.DEGRADED, "degraded: no semi-sync replica is connected; "
                    + (infinite(s.timeoutMs()) ? "commits block until one acknowledges (semi_sync_timeout=infinite)"
                    : "the next commit waits " + timeout(s.timeoutMs()) + ", then the master falls back to async"));
        }
        if (s.waitPoint().filter(w -> w.equalsIgnoreCase("AFTER_COMMIT")).isPresent()) {
            return new SemiSyncReport(rows, Verdict.DEGRADED, "degraded: wait point AFTER_COMMIT lets other clients see a commit"
                    + " before a replica has it, so a crash can lose it; `mha semisync enable` sets AFTER_SYNC");
        }
        return new SemiSyncReport(rows, Verdict.LOSSLESS, "lossless: " + s.clients().getAsLong() + " semi-sync replica(s) acknowledge every commit"
                + s.waitPoint().map(w -> " (" + w + ")").orElse(" (after-commit wait: this server has no AFTER_SYNC, so others may"
                + " see a commit a moment before a replica has it; no acknowledged commit is lost)")
                + (infinite(s.timeoutMs()) ? ", never falls back to async (semi_sync_timeout=infinite: no acknowledged commit exists on"
                + " the master alone; the price is that writes block while no replica acknowledges)"
                : ", fallback to async after " + timeout(s.timeoutMs())));
    }

    /** semi_sync_timeout=infinite sets the largest timeout the servers accept (about 49.7 days). */
    private static boolean infinite(OptionalLong ms) {
        return ms.isPresent() && ms.getAsLong() >= ServerConfig.SEMI_SYNC_TIMEOUT_INFINITE_MS;
    }

    private static String timeout(OptionalLong ms) {
        return infinite(ms) ? "for ever (infinite)" : text(ms) + " ms";
    }

    private static Row row(ServerSnapshot s, String role) {
        SemiSyncState ss = s.semiSync();
        if (!ss.available()) return new Row(s.label(), role, "n/a", "n/a", "not installed", "-", "-", "-", "-", "-", "-");
        boolean master = role.equals("master");
        String status = master ? ss.masterActive().map(SemiSyncReport::onOff).orElse("-")
                : ss.replicaActive().map(SemiSyncReport::onOff).orElse("-");
        return new Row(s.label(), role, onOff(ss.masterEnabled()), onOff(ss.replicaEnabled()), status,
                master ? text(ss.clients()) : "-", master ? text(ss.yesTx()) : "-", master ? text(ss.noTx()) : "-",
                master ? text(ss.avgWaitMicros()) : "-", text(ss.timeoutMs()), ss.waitPoint().orElse("-"));
    }

    private static String onOff(boolean b) {
        return b ? "ON" : "OFF";
    }

    private static String text(OptionalLong v) {
        return v.isPresent() ? Long.toString(v.getAsLong()) : "-";
    }

    /** A fixed-width table for people. */
    public String table() {
        String[] head = {"server", "role", "master side", "replica side", "status", "clients", "yes_tx", "no_tx", "avg wait us", "timeout ms", "wait point"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[]{r.server(), r.role(), r.masterSide(), r.replicaSide(), r.status(), r.clients(), r.yesTx(),
                    r.noTx(), r.avgWaitUs(), r.timeoutMs().equals(Long.toString(ServerConfig.SEMI_SYNC_TIMEOUT_INFINITE_MS)) ? "infinite"
                    : r.timeoutMs(), r.waitPoint()});
        }
        int[] w = new int[head.length];
        for (String[] c : cells) for (int i = 0; i < c.length; i++) w[i] = Math.max(w[i], c[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) sb.append(String.format("%-" + (w[i] + 2) + "s", c[i]));
            sb.setLength(sb.length() - 2);
            sb.append('\n');
        }
        sb.append("verdict: ").append(verdictText).append('\n');
        return sb.toString();
    }

    /** The same for machines; numbers stay strings where the server gave none ("-"). */
    public String json() {
        StringBuilder sb = new StringBuilder("{\"verdict\":").append(q(verdict.name().toLowerCase()))
                .append(",\"verdict_text\":").append(q(verdictText)).append(",\"servers\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"server\":").append(q(r.server())).append(",\"role\":").append(q(r.role()))
                    .append(",\"master_side\":").append(q(r.masterSide())).append(",\"replica_side\":").append(q(r.replicaSide()))
                    .append(",\"status\":").append(q(r.status())).append(",\"clients\":").append(n(r.clients()))
                    .append(",\"yes_tx\":").append(n(r.yesTx())).append(",\"no_tx\":").append(n(r.noTx()))
                    .append(",\"avg_wait_us\":").append(n(r.avgWaitUs())).append(",\"timeout_ms\":").append(n(r.timeoutMs()))
                    .append(",\"wait_point\":").append(r.waitPoint().equals("-") ? "null" : q(r.waitPoint())).append('}');
        }
        return sb.append("]}").toString();
    }

    private static String n(String v) {
        return v.matches("-?\\d+") ? v : "null";
    }

    private static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
