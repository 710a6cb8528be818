package org.mha4j.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mha4j.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <manager_workdir>/<app>.needs_rejoin}: old masters that answered again after a failover, one line each
 * ({@code host:port<TAB>what happened}), until they replicate from the new master. masterha_check_status reads it
 * (60:NEEDS_REJOIN). A write that fails is logged, never fatal: the manager must go on watching.
 */
public final class NeedsRejoin {
    private static final Logger log = LoggerFactory.getLogger("mha");
    private final Path file;

    public NeedsRejoin(Path workdir, String app) {
        this.file = workdir.resolve(app + ".needs_rejoin");
    }

    public static NeedsRejoin of(AppConfig app) {
        return new NeedsRejoin(Path.of(app.first().managerWorkdir()), app.appName());
    }

    public record Entry(String server, String message) {}

    public synchronized void mark(String server, String message) {
        Map<String, String> all = read();
        String line = message.replace('\n', ' ').replace('\t', ' ');
        if (line.equals(all.get(server))) return;
        all.put(server, line);
        write(all);
    }

    public synchronized void clear(String server) {
        Map<String, String> all = read();
        if (all.remove(server) != null) write(all);
    }

    /** Forgets every entry but those of {@code servers} (host:port): the others rejoined, or left the config. */
    public synchronized void retainOnly(Set<String> servers) {
        Map<String, String> all = read();
        if (all.keySet().retainAll(servers)) write(all);
    }

    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        read().forEach((k, v) -> out.add(new Entry(k, v)));
        return out;
    }

    private Map<String, String> read() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int tab = line.indexOf('\t');
                if (tab > 0) out.put(line.substring(0, tab), line.substring(tab + 1));
            }
        } catch (NoSuchFileException e) {
            // nobody needs rejoin
        } catch (IOException e) {
            log.warn("cannot read {}: {}", file, e.getMessage());
        }
        return out;
    }

    private void write(Map<String, String> all) {
        try {
            if (all.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            StringBuilder sb = new StringBuilder();
            all.forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
            Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, sb);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.error("cannot write {}: {} (the old master's state is in this log only)", file, e.getMessage());
        }
    }
}
