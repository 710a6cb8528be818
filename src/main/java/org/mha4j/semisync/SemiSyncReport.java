package org.mha4j.semisync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

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

    /** The same for machines: numbers where the server gave one, null where it gave none ("-"). */
    public String json() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("verdict", verdict.name().toLowerCase());
            g.writeStringField("verdict_text", verdictText);
            g.writeArrayFieldStart("servers");
            for (Row r : rows) {
                g.writeStartObject();
                g.writeStringField("server", r.server());
                g.writeStringField("role", r.role());
                g.writeStringField("master_side", r.masterSide());
                g.writeStringField("replica_side", r.replicaSide());
                g.writeStringField("status", r.status());
                number(g, "clients", r.clients());
                number(g, "yes_tx", r.yesTx());
                number(g, "no_tx", r.noTx());
                number(g, "avg_wait_us", r.avgWaitUs());
                number(g, "timeout_ms", r.timeoutMs());
                if (r.waitPoint().equals("-")) g.writeNullField("wait_point");
                else g.writeStringField("wait_point", r.waitPoint());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a StringWriter does not fail
        }
        return out.toString();
    }

    private static final JsonFactory JSON = new JsonFactory();

    private static void number(JsonGenerator g, String name, String v) throws IOException {
        if (v.matches("-?\\d+")) g.writeNumberField(name, Long.parseLong(v));
        else g.writeNullField(name);
    }
}
