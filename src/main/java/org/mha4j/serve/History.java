package org.mha4j.serve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mha4j.config.AppConfig;
import org.mha4j.promote.FailoverRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application's failovers and switches, newest first, from the records the manager and masterha_master_switch write
 * to manager_workdir ({@code <app>.failover.*.json}, {@code <app>.switch.*.json}): the same history whether they ran in
 * mha serve, in masterha_manager or by hand.
 */
final class History {
    private static final Logger log = LoggerFactory.getLogger(History.class);
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private History() {}

    static List<FailoverRecord> of(AppConfig app, int limit) {
        Path dir = Path.of(app.first().managerWorkdir());
        List<FailoverRecord> out = new ArrayList<>();
        // by prefix, not by glob: an application's name may hold a glob's characters ([, {, *)
        String failovers = app.appName() + ".failover.";
        String switches = app.appName() + ".switch.";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> {
            String n = f.getFileName().toString();
            return (n.startsWith(failovers) || n.startsWith(switches)) && n.endsWith(".json") && !n.substring(0, n.length() - 5).contains("/");
        })) {
            for (Path f : files) {
                try {
                    out.add(JSON.readValue(f.toFile(), FailoverRecord.class));
                } catch (IOException e) {
                    log.warn("cannot read the failover record {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            // no workdir yet: no history
        }
        out.sort(Comparator.comparing(FailoverRecord::started).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
