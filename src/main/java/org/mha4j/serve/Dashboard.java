package org.mha4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's three files, read from the jar once into memory. Not Jetty's ResourceHandler: serving from the class
 * path, it mounts the whole jar as a zip file system, whose index of some 40,000 entries costs mha serve about 10 MB of
 * heap for three small files.
 */
final class Dashboard {
    private static final String DIR = "/org/mha4j/serve/web/";

    record File(byte[] bytes, String contentType) {}

    private final Map<String, File> files;

    private Dashboard(Map<String, File> files) {
        this.files = files;
    }

    static Dashboard load() {
        return new Dashboard(Map.of(
                "/index.html", read("index.html", "text/html; charset=utf-8"),
                "/dashboard.js", read("dashboard.js", "text/javascript; charset=utf-8"),
                "/dashboard.css", read("dashboard.css", "text/css; charset=utf-8")));
    }

    Optional<File> file(String path) {
        return Optional.ofNullable(files.get(path.equals("/") ? "/index.html" : path));
    }

    private static File read(String name, String type) {
        try (InputStream in = Dashboard.class.getResourceAsStream(DIR + name)) {
            if (in == null) throw new IllegalStateException("the jar lacks " + DIR + name);
            return new File(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
