package org.mha4j.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mha serve: every application of a config directory watched in one process, with the HTTP API, metrics, health checks
 * and dashboard. {@link #start} returns once it listens; {@link #close} stops every manager (a failover in progress
 * finishes first) and the HTTP server.
 */
public final class Serve implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private final Fleet fleet;
    private final HttpApi http;

    private Serve(Fleet fleet, HttpApi http) {
        this.fleet = fleet;
        this.http = http;
    }

    /**
     * Checks the options, listens, then starts the applications. Bad options (a token file others can read, a port in
     * use) stop it before any application starts.
     */
    public static Serve start(ServeOptions o) {
        Optional<String> token = o.tokenFile().map(Serve::readToken);
        FleetMetrics metrics = new FleetMetrics();
        Fleet fleet = new Fleet(o, metrics);
        HttpApi http = new HttpApi(fleet, metrics, o, token);
        http.start();
        Serve s = new Serve(fleet, http);
        Fleet.Reload r = fleet.reload();
        if (fleet.apps().isEmpty()) {
            log.warn("No application to watch{}: add config files and reload (SIGHUP or POST /api/reload).",
                    r.problems().isEmpty() ? "" : " (every config file had a problem, see above)");
        }
        return s;
    }

    public int port() {
        return http.port();
    }

    /** Reads the config files again: new applications start, removed ones stop, changed ones restart. */
    public void reload() {
        fleet.reload();
    }

    /** The token, from a file only its owner can read (it allows failovers and switches). */
    static String readToken(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException("--token-file " + file + " can be read by other users: chmod 600 " + file);
            }
            String t = Files.readString(file).strip();
            if (t.length() < 16) throw new IllegalArgumentException("--token-file " + file + " holds " + (t.isEmpty() ? "nothing" : "a token shorter than 16 characters")
                    + ": put a long random one in it (for example: head -c 24 /dev/urandom | base64 > " + file + ")");
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + " cannot be read: " + e.getMessage(), e);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("--token-file " + file + ": its permissions cannot be checked on this file system", e);
        }
    }

    @Override
    public void close() {
        fleet.close();
        http.close();
    }
}
