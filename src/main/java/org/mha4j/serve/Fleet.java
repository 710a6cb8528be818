package org.mha4j.serve;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigException;
import org.mha4j.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every application mha serve watches, from its config files: started, stopped and restarted as the files come, go and
 * change ({@link #reload}, on SIGHUP and {@code POST /api/reload}). A file that does not load is reported and skipped;
 * the application it held before keeps running on what it had.
 */
final class Fleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mha");

    /** A config file that could not be used, and why (file:line where the reader knows it). */
    record Problem(String file, String message) {}

    /** What a reload did. */
    record Reload(List<String> started, List<String> restarted, List<String> stopped, List<String> deferred, List<Problem> problems) {}

    private final ServeOptions options;
    private final AppWatch.Outcomes outcomes;
    private final Map<String, AppWatch> apps = new ConcurrentHashMap<>();
    private volatile List<Problem> problems = List.of();

    Fleet(ServeOptions options, AppWatch.Outcomes outcomes) {
        this.options = options;
        this.outcomes = outcomes;
    }

    Collection<AppWatch> apps() {
        return apps.values().stream().sorted(java.util.Comparator.comparing(AppWatch::name)).toList();
    }

    Optional<AppWatch> app(String name) {
        return Optional.ofNullable(apps.get(name));
    }

    List<Problem> problems() {
        return problems;
    }

    synchronized Reload reload() {
        List<Problem> found = new ArrayList<>();
        Map<String, AppConfig> wanted = new LinkedHashMap<>();
        Map<String, Path> fileOf = new HashMap<>();
        for (Path file : configFiles(found)) {
            try {
                AppConfig app = ConfigLoader.load(file, options.globalConf());
                Path other = fileOf.putIfAbsent(app.appName(), file);
                if (other != null) {
                    found.add(new Problem(file.toString(), "application " + app.appName() + " is already configured by " + other));
                    continue;
                }
                wanted.put(app.appName(), app);
            } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
                found.add(e instanceof ConfigException c ? new Problem(c.file() + (c.line() > 0 ? ":" + c.line() : ""), c.reason())
                        : new Problem(file.toString(), e.getMessage()));
                // an application already running on this file keeps running on the config it was started with
                apps.values().stream().filter(w -> w.config().file().equals(file))
                        .forEach(w -> wanted.putIfAbsent(w.name(), w.config()));
            }
        }
        found.forEach(p -> log.error("{}: {} (skipped; the other applications are not affected)", p.file(), p.message()));
        List<String> started = new ArrayList<>(), restarted = new ArrayList<>(), stopped = new ArrayList<>(), deferred = new ArrayList<>();
        for (AppWatch running : List.copyOf(apps.values())) {
            AppConfig next = wanted.get(running.name());
            if (next != null && next.equals(running.config())) continue;
            if (running.failoverRunning()) {
                deferred.add(running.name());
                continue;
            }
            apps.remove(running.name());
            running.close();
            (next == null ? stopped : restarted).add(running.name());
        }
        for (AppConfig app : wanted.values()) {
            if (apps.containsKey(app.appName())) continue;
            AppWatch w = new AppWatch(app, options, outcomes);
            apps.put(app.appName(), w);
            w.start();
            if (!restarted.contains(app.appName())) started.add(app.appName());
        }
        problems = List.copyOf(found);
        Reload r = new Reload(started, restarted, stopped, deferred, problems);
        log.info("Applications: {} watched; started {}, restarted {}, stopped {}{}.", apps.size(), started, restarted, stopped,
                deferred.isEmpty() ? "" : ", not restarted during their failover " + deferred);
        return r;
    }

    private List<Path> configFiles(List<Problem> problems) {
        List<Path> files = new ArrayList<>(options.confs());
        options.confDir().ifPresent(dir -> {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{cnf,conf}")) {
                List<Path> inDir = new ArrayList<>();
                for (Path f : ds) {
                    if (Files.isRegularFile(f) && !isGlobal(f)) inDir.add(f);
                }
                inDir.sort(null);
                files.addAll(inDir);
            } catch (IOException e) {
                problems.add(new Problem(dir.toString(), "cannot list the config directory: " + e.getMessage()));
            }
        });
        return files.stream().map(Path::toAbsolutePath).map(Path::normalize).distinct().toList();
    }

    private boolean isGlobal(Path f) {
        if (f.getFileName().toString().equals("masterha_default.cnf")) return true;
        Path global = options.globalConf() != null ? options.globalConf() : ConfigLoader.DEFAULT_GLOBAL;
        try {
            return Files.exists(global) && Files.isSameFile(f, global);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        apps.values().parallelStream().forEach(AppWatch::close);
        apps.clear();
    }
}
