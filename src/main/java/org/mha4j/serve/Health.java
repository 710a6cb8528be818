package org.mha4j.serve;

import java.util.Optional;

/**
 * The answers of the load balancers' health checks, as Patroni's: {@code /health/<app>/master/<server>} passes (200) only
 * for the writable master the manager watches and reaches now; {@code /health/<app>/replica/<server>} only for a
 * replica of that master whose two threads run and whose lag is within the bound. Everything else fails (503), so that
 * a load balancer sends nothing to a server in doubt. Pure: decided from the application's view.
 */
final class Health {
    private Health() {}

    /** @param status 200 or 503; 404 when the server is not one of the application's */
    record Answer(int status, String server, String reason) {
        static Answer ok(ServerView s, String why) {
            return new Answer(200, s.name(), why);
        }

        static Answer fail(ServerView s, String why) {
            return new Answer(503, s.name(), why);
        }
    }

    static Answer master(AppView app, String id) {
        Optional<ServerView> found = app.server(id);
        if (found.isEmpty()) return unknown(app, id);
        ServerView s = found.get();
        if (app.master() == null) return Answer.fail(s, "the manager watches no master now (" + app.status() + ")");
        if (!app.master().equals(s.hostPort())) return Answer.fail(s, "not the master (the master is " + app.master() + ")");
        if (app.failover() != null) return Answer.fail(s, "a failover is running");
        if (app.detector().failures() > 0) return Answer.fail(s, "the master's last check went unanswered");
        if (Boolean.TRUE.equals(s.readOnly()) && s.up()) return Answer.fail(s, "the master is read_only");
        return Answer.ok(s, "the writable master");
    }

    static Answer replica(AppView app, String id, long maxLagSeconds) {
        Optional<ServerView> found = app.server(id);
        if (found.isEmpty()) return unknown(app, id);
        ServerView s = found.get();
        if (!s.up()) return Answer.fail(s, "not reachable: " + s.error());
        if (!"replica".equals(s.role())) return Answer.fail(s, "not a replica");
        if (app.master() != null && !app.master().equals(s.replicatingFrom())) {
            return Answer.fail(s, "replicates from " + s.replicatingFrom() + ", not from the master " + app.master());
        }
        if (!"Yes".equals(s.ioThread()) || !Boolean.TRUE.equals(s.sqlThread())) {
            return Answer.fail(s, "replication threads: IO " + s.ioThread() + ", SQL " + (Boolean.TRUE.equals(s.sqlThread()) ? "Yes" : "No"));
        }
        if (s.lagSeconds() == null || s.lagSeconds() > maxLagSeconds) {
            return Answer.fail(s, "lag " + s.lagSeconds() + " s is above the bound of " + maxLagSeconds + " s");
        }
        return Answer.ok(s, "a replica " + s.lagSeconds() + " s behind");
    }

    private static Answer unknown(AppView app, String id) {
        return new Answer(404, id, id + " is not a server of " + app.name() + " (give its block name, host:port, host_port or host)");
    }
}
