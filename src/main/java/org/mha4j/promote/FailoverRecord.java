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
 */
public record FailoverRecord(String app, String kind, String master, String cause, String newMaster, String started, String ended, int exitCode,
                             String outcome, String refusal, String message, List<Step> steps) {

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
        FailoverRecord r = new FailoverRecord(app.appName(), kind, master, cause, newMaster.map(FailoverRecord::hostPort).orElse(null),
                started.toString(), Instant.now().toString(), exitCode, outcomeOf(exitCode, refusal.isPresent()),
                refusal.map(Enum::name).orElse(null), closing, steps.list());
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
            g.writeEndObject();
        }
        return file;
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) g.writeStringField(name, value);
    }
}
