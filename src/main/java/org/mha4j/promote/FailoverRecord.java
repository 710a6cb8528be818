package org.mha4j.promote;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One failover or switch as data: what was replaced, by what, how it ended, and every step with its duration. Written
 * as {@code <app>.<kind>.<UTC time>.json} in manager_workdir next to the log's report; what the API and the dashboard
 * show. Statements carry no password ({@code ******}).
 *
 * @param kind      {@code failover} or {@code switch}
 * @param master    the master being replaced ({@code host:port})
 * @param cause     why: the death verdict's code (DEAD_MASTER, ...), {@code manual} (masterha_master_switch
 *                  --master_state=dead) or {@code planned} (an online switch)
 * @param newMaster the new master, null when none was activated
 * @param exitCode  MHA's: 0 done, 10 done with some replica not recovered, 1 refused or failed
 * @param outcome   {@code done}, {@code partial}, {@code refused} or {@code failed}
 * @param refusal   the refusal's code when it was refused; null otherwise
 * @param message   the closing line of the report
 * @param positions without GTID, a failover that activated a new master: where the old and the new master's binlogs
 *                  meet (what mha rejoin needs); null otherwise
 */
public record FailoverRecord(String app, String kind, String master, String cause, String newMaster, String started, String ended, int exitCode,
                             String outcome, String refusal, String message, List<Step> steps, Positions positions) {

    /**
     * @param deadMaster how far in the dead master's binlog ({@code file:pos}) the new master holds everything
     * @param newMaster  the new master's binlog position ({@code file:pos}) when it took the role, before any write
     */
    public record Positions(String deadMaster, String newMaster) {}

    private static final Logger log = LoggerFactory.getLogger("mha");
    /**
     * Jackson's streaming writer, not its object mapper: the mapper's reflection costs the manager about 25 MB of
     * resident memory the first time it runs, and a manager runs per application.
     */
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public FailoverRecord {
        steps = List.copyOf(steps);
    }

    static String outcomeOf(int exitCode, boolean refused) {
        return refused ? "refused" : exitCode == 0 ? "done" : exitCode == 10 ? "partial" : "failed";
    }

    /**
     * The record of a failover or switch that ends now, written to the application's manager_workdir. A record that
     * cannot be written is logged, never a reason to stop.
     *
     * @param master the master replaced, {@code host:port} (see {@link #hostPort})
     */
    public static Optional<Path> save(AppConfig app, String kind, String master, String cause, Optional<ServerConfig> newMaster, Instant started,
                                      int exitCode, Optional<Refusal.Code> refusal, String closing, Steps steps) {
        return save(app, kind, master, cause, newMaster, started, exitCode, refusal, closing, steps, Optional.empty());
    }

    /** @param positions without GTID: where the dead and the new master's binlogs meet */
    public static Optional<Path> save(AppConfig app, String kind, String master, String cause, Optional<ServerConfig> newMaster, Instant started,
                                      int exitCode, Optional<Refusal.Code> refusal, String closing, Steps steps, Optional<Positions> positions) {
        FailoverRecord r = new FailoverRecord(app.appName(), kind, master, cause, newMaster.map(FailoverRecord::hostPort).orElse(null),
                started.toString(), Instant.now().toString(), exitCode, outcomeOf(exitCode, refusal.isPresent()),
                refusal.map(Enum::name).orElse(null), closing, steps.list(), positions.orElse(null));
        try {
            Path file = r.write(Path.of(app.first().managerWorkdir()));
            log.info("The {} record: {}", kind, file);
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            log.error("Could not write the {} record to {}: {}", kind, app.first().managerWorkdir(), e.getMessage());
            return Optional.empty();
        }
    }

    public static String hostPort(ServerConfig c) {
        return c.hostname() + ":" + c.port();
    }

    /** Writes it as {@code <app>.<kind>.<UTC time>.json}; fields that are null are left out. */
    public Path write(Path workdir) throws IOException {
        Files.createDirectories(workdir);
        Path file = workdir.resolve(app + "." + kind + "." + FILE_TIME.format(Instant.parse(started)) + ".json");
        try (JsonGenerator g = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            field(g, "app", app);
            field(g, "kind", kind);
            field(g, "master", master);
            field(g, "cause", cause);
            field(g, "newMaster", newMaster);
            field(g, "started", started);
            field(g, "ended", ended);
            g.writeNumberField("exitCode", exitCode);
            field(g, "outcome", outcome);
            field(g, "refusal", refusal);
            field(g, "message", message);
            if (positions != null) {
                g.writeObjectFieldStart("positions");
                field(g, "deadMaster", positions.deadMaster());
                field(g, "newMaster", positions.newMaster());
                g.writeEndObject();
            }
            writeSteps(g, steps);
            g.writeEndObject();
        }
        return file;
    }

    /** {@code "steps": [...]}, as the record has it (the ZooKeeper journal writes them so too). */
    public static void writeSteps(JsonGenerator g, List<Step> steps) throws IOException {
        g.writeArrayFieldStart("steps");
        for (Step st : steps) {
            g.writeStartObject();
            field(g, "phase", st.phase());
            field(g, "name", st.name());
            field(g, "server", st.server());
            field(g, "statement", st.statement());
            field(g, "start", st.start());
            g.writeNumberField("millis", st.millis());
            field(g, "outcome", st.outcome());
            field(g, "detail", st.detail());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) g.writeStringField(name, value);
    }

    /**
     * The application's failover and switch records in its manager_workdir, newest first, at most {@code limit}; those
     * written by mha serve, masterha_manager or by hand alike. A record that cannot be read is logged and skipped.
     */
    public static List<FailoverRecord> history(AppConfig app, int limit) {
        Path dir = Path.of(app.first().managerWorkdir());
        List<FailoverRecord> out = new java.util.ArrayList<>();
        // by prefix, not by glob: an application's name may hold a glob's characters ([, {, *)
        String failovers = app.appName() + ".failover.";
        String switches = app.appName() + ".switch.";
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> {
            String n = f.getFileName().toString();
            return (n.startsWith(failovers) || n.startsWith(switches)) && n.endsWith(".json");
        })) {
            for (Path f : files) {
                try {
                    out.add(Reader.JSON.readValue(f.toFile(), FailoverRecord.class));
                } catch (IOException e) {
                    log.warn("cannot read the failover record {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            // no workdir yet: no history
        }
        out.sort(java.util.Comparator.comparing(FailoverRecord::started).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** Jackson's object mapper only in a process that reads records (mha serve, mha rejoin), not in every manager. */
    private static final class Reader {
        static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
