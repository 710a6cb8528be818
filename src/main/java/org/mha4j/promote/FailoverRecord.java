package org.mha4j.promote;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One failover or switch as data: what was replaced, by what, how it ended, and every step with its duration. Written
 * as {@code <app>.<kind>.<UTC time>.json} in manager_workdir next to the log's report; what the API and the dashboard
 * show. Statements carry no password ({@code ******}).
 *
 * @param kind      {@code failover} or {@code switch}
 * @param master    the master being replaced ({@code host:port})
 * @param newMaster the new master, null when none was activated
 * @param exitCode  MHA's: 0 done, 10 done with some replica not recovered, 1 refused or failed
 * @param outcome   {@code done}, {@code partial}, {@code refused} or {@code failed}
 * @param refusal   the refusal's code when it was refused; null otherwise
 * @param message   the closing line of the report
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FailoverRecord(String app, String kind, String master, String newMaster, String started, String ended, int exitCode,
                             String outcome, String refusal, String message, List<Step> steps) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public FailoverRecord {
        steps = List.copyOf(steps);
    }

    public static String outcomeOf(int exitCode, boolean refused) {
        return refused ? "refused" : exitCode == 0 ? "done" : exitCode == 10 ? "partial" : "failed";
    }

    /** Writes it to {@code workdir}; a record that cannot be written is the caller's to log, never a reason to stop. */
    public Path write(Path workdir) throws IOException {
        Files.createDirectories(workdir);
        Path file = workdir.resolve(app + "." + kind + "." + FILE_TIME.format(Instant.parse(started)) + ".json");
        JSON.writeValue(file.toFile(), this);
        return file;
    }

    public static FailoverRecord read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), FailoverRecord.class);
    }
}
