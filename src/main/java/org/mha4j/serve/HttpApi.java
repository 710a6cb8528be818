package org.mha4j.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.mha4j.switchover.OnlineSwitch;
import org.mha4j.switchover.SwitchOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mha serve's HTTP side (docs/api.md): the JSON API, {@code /metrics}, the load balancers' {@code /health/...} checks and
 * the dashboard's files. Requests that change something need the token; reading the API is open on a loopback address
 * and needs the token on any other; {@code /health} and {@code /metrics} are always open, for HAProxy and Prometheus.
 * Every error is JSON: {@code {"error": {"code": ..., "message": ...}}}.
 */
final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mha");
    static final int HISTORY_LIMIT = 50;

    /** A request that cannot be served, with its HTTP status and a code a script can test. */
    static final class ApiError extends RuntimeException {
        final int status;
        final String code;

        ApiError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /**
     * The body of {@code POST /api/apps/<app>/switch}: masterha_master_switch --master_state=alive's options, snake_case.
     */
    record SwitchRequest(String newMasterHost, Integer newMasterPort, Boolean origMasterIsNewSlave, Boolean dryRun, Integer runningUpdatesLimit,
                         Integer runningSecondsLimit, Integer secondsBehindMaster) {
        SwitchOptions options() {
            return new SwitchOptions(Optional.ofNullable(newMasterHost), Optional.ofNullable(newMasterPort), Boolean.TRUE.equals(origMasterIsNewSlave),
                    or(runningUpdatesLimit, SwitchOptions.RUNNING_UPDATES_LIMIT), or(runningSecondsLimit, SwitchOptions.RUNNING_SECONDS_LIMIT),
                    or(secondsBehindMaster, SwitchOptions.SECONDS_BEHIND_MASTER), Boolean.TRUE.equals(dryRun), false,
                    Duration.ofSeconds(org.mha4j.manager.Manager.Options.GTID_WAIT_SECONDS), SwitchOptions.DEFAULT_WRITE_BLOCK_LIMIT);
        }

        private static int or(Integer v, int d) {
            if (v != null && v < 0) throw new ApiError(400, "BAD_REQUEST", "limits must not be negative, not " + v);
            return v == null ? d : v;
        }
    }

    private final ObjectMapper out = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private final ObjectMapper in = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private final Fleet fleet;
    private final FleetMetrics metrics;
    private final ServeOptions options;
    private final Optional<byte[]> token;
    private final boolean readsNeedToken;
    private final Server server;

    HttpApi(Fleet fleet, FleetMetrics metrics, ServeOptions options, Optional<String> token) {
        this.fleet = fleet;
        this.metrics = metrics;
        this.options = options;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.readsNeedToken = !isLoopback(options.host());
        VirtualThreadPool pool = new VirtualThreadPool();
        pool.setName("http");
        this.server = new Server(pool);
        ServerConnector c = new ServerConnector(server, 1, 1);
        c.setHost(options.host());
        c.setPort(options.port());
        server.addConnector(c);
        PathMappingsHandler routes = new PathMappingsHandler();
        route(routes, "/api/apps", HttpMethod.GET, (req, p) -> apps());
        route(routes, "/api/apps/{app}", HttpMethod.GET, (req, p) -> watch(p.get("app")).view());
        route(routes, "/api/apps/{app}/history", HttpMethod.GET, (req, p) -> Map.of("history", org.mha4j.promote.FailoverRecord.history(watch(p.get("app")).config(), HISTORY_LIMIT)));
        route(routes, "/api/apps/{app}/switch", HttpMethod.POST, this::onlineSwitch);
        route(routes, "/api/apps/{app}/acknowledge", HttpMethod.POST, (req, p) -> Map.of("removed", watch(p.get("app")).acknowledgeFailover()));
        route(routes, "/api/reload", HttpMethod.POST, (req, p) -> fleet.reload());
        routes.addMapping(new UriTemplatePathSpec("/health/{app}/{role}/{server}"), new Endpoint(this::health));
        routes.addMapping(new UriTemplatePathSpec("/metrics"), new Endpoint(this::metrics));
        Dashboard files = Dashboard.load();
        routes.addMapping(new ServletPathSpec("/"), new Endpoint((req, res, cb) -> {
            Dashboard.File f = files.file(req.getHttpURI().getCanonicalPath())
                    .orElseThrow(() -> new ApiError(404, "NOT_FOUND", "no such page: " + req.getHttpURI().getCanonicalPath()));
            res.setStatus(200);
            res.getHeaders().put(HttpHeader.CONTENT_TYPE, f.contentType());
            res.write(true, java.nio.ByteBuffer.wrap(f.bytes()), cb);
        }));
        Endpoint notFound = new Endpoint((req, res, cb) -> {
            throw new ApiError(404, "NOT_FOUND", "no such resource: " + req.getHttpURI().getCanonicalPath() + " (docs/api.md lists them)");
        });
        routes.addMapping(new ServletPathSpec("/api/*"), notFound);
        routes.addMapping(new ServletPathSpec("/health/*"), notFound);
        // a context of its own: the file handler resolves paths against it (the server's root context has no path)
        server.setHandler(new ContextHandler(routes, "/"));
    }

    /** Listens; a port in use or an address not of this host is one clear line. */
    void start() {
        try {
            server.start();
        } catch (Exception e) {
            Throwable cause = e instanceof IOException && e.getCause() instanceof BindException ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": " + cause.getMessage()
                    + (cause instanceof BindException ? " (another mha serve? --listen chooses another address)" : ""), e);
        }
        log.info("HTTP API, /metrics, /health and the dashboard on http://{}:{}/ ({}).", options.host(), port(),
                token.isEmpty() ? "no --token-file: requests that change something are refused" : "changes need the token");
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private Map<String, Object> apps() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("apps", fleet.apps().stream().map(AppWatch::view).toList());
        m.put("problems", fleet.problems());
        return m;
    }

    private AppWatch watch(String name) {
        return fleet.app(name).orElseThrow(() -> new ApiError(404, "UNKNOWN_APP", "no application named " + name + " is watched"
                + (fleet.apps().isEmpty() ? "" : " (watched: " + String.join(", ", fleet.apps().stream().map(AppWatch::name).toList()) + ")")));
    }

    private Object onlineSwitch(Request req, Map<String, String> p) throws IOException {
        AppWatch w = watch(p.get("app"));
        SwitchRequest body;
        String text = Content.Source.asString(req, StandardCharsets.UTF_8);
        try {
            body = text.isBlank() ? new SwitchRequest(null, null, null, null, null, null, null) : in.readValue(text, SwitchRequest.class);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "BAD_REQUEST", "the body is not a valid switch request: " + e.getOriginalMessage());
        }
        if (body == null) throw new ApiError(400, "BAD_REQUEST", "the body is not a valid switch request: null");
        SwitchOptions options = body.options();
        if (w.failoverRunning()) throw new ApiError(409, "FAILOVER_RUNNING", "a failover of " + w.name() + " is running; try again once it ended");
        if (w.standby()) {
            throw new ApiError(409, "STANDBY", "this mha serve is a standby for " + w.name() + " (coordination=): another manager leads it;"
                    + " ask the leader's API, a switch from here would change servers behind its back");
        }
        if (w.config().first().coordination().isPresent()) {
            // the switch stops this manager, and with it its leadership: a standby elsewhere would take the lead and
            // watch a master that is being demoted
            throw new ApiError(409, "COORDINATED", "the managers of " + w.name() + " coordinate through ZooKeeper: an online switch"
                    + " needs them all stopped (masterha_stop on each host), then masterha_master_switch --master_state=alive");
        }
        OnlineSwitch.Result r = w.onlineSwitch(options)
                .orElseThrow(() -> new ApiError(409, "SWITCH_RUNNING", "another switch of " + w.name() + " is running"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exitCode", r.exitCode());
        m.put("dryRun", options.checkOnly());
        r.newMaster().ifPresent(n -> m.put("newMaster", n.id()));
        if (r.writesBlockedMs() >= 0) m.put("writesBlockedMs", r.writesBlockedMs());
        r.refusal().ifPresent(c -> m.put("refusal", c.name()));
        r.record().ifPresent(f -> m.put("record", f.toString()));
        return m;
    }

    private void health(Request req, Response res, Callback cb) throws IOException {
        if (!HttpMethod.GET.is(req.getMethod()) && !HttpMethod.HEAD.is(req.getMethod())) {
            throw new ApiError(405, "METHOD_NOT_ALLOWED", "health checks answer GET only");
        }
        Map<String, String> p = params(req);
        AppWatch w = watch(p.get("app"));
        Health.Answer a = switch (p.get("role")) {
            case "master" -> Health.master(w.view(), p.get("server"));
            case "replica" -> Health.replica(w.view(), p.get("server"), maxLag(req));
            default -> throw new ApiError(404, "NOT_FOUND", "health checks are /health/<app>/master/<server> and /health/<app>/replica/<server>");
        };
        json(res, cb, a.status(), a);
    }

    private long maxLag(Request req) {
        String v = Request.extractQueryParameters(req).getValue("max_lag");
        if (v == null) return options.maxLagSeconds();
        try {
            long n = Long.parseLong(v);
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiError(400, "BAD_REQUEST", "max_lag must be a number of seconds, not " + v);
    }

    private void metrics(Request req, Response res, Callback cb) {
        String text = metrics.scrape(fleet.apps().stream().map(AppWatch::view).toList());
        res.setStatus(200);
        res.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        Content.Sink.write(res, true, text, cb);
    }

    // ---- plumbing ----

    interface JsonRoute {
        Object answer(Request req, Map<String, String> params) throws Exception;
    }

    interface Raw {
        void handle(Request req, Response res, Callback cb) throws Exception;
    }

    private void route(PathMappingsHandler routes, String template, HttpMethod method, JsonRoute r) {
        routes.addMapping(new UriTemplatePathSpec(template), new Endpoint((req, res, cb) -> {
            if (!method.is(req.getMethod())) {
                throw new ApiError(405, "METHOD_NOT_ALLOWED", template + " answers " + method + " only");
            }
            authorize(req, method == HttpMethod.POST);
            json(res, cb, 200, r.answer(req, params(req)));
        }));
    }

    /** Runs a route and turns what it throws into a JSON error; runs on a virtual thread (it may block on servers). */
    private final class Endpoint extends Handler.Abstract {
        private final Raw body;

        Endpoint(Raw body) {
            super(InvocationType.BLOCKING);
            this.body = body;
        }

        @Override
        public boolean handle(Request req, Response res, Callback cb) {
            try {
                body.handle(req, res, cb);
            } catch (ApiError e) {
                error(res, cb, e);
            } catch (Exception e) {
                log.warn("HTTP {} {} failed: {}", req.getMethod(), req.getHttpURI().getCanonicalPath(), e.toString(), e);
                error(res, cb, new ApiError(500, "INTERNAL", String.valueOf(e.getMessage())));
            }
            return true;
        }
    }

    private void authorize(Request req, boolean changes) {
        if (!changes && !readsNeedToken) return;
        if (token.isEmpty()) {
            throw new ApiError(403, "NO_TOKEN_CONFIGURED", "this mha serve was started without --token-file: "
                    + (changes ? "requests that change something are refused" : "it listens beyond localhost, so every API request needs a token"));
        }
        String auth = req.getHeaders().get(HttpHeader.AUTHORIZATION);
        byte[] given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token.get())) {
            throw new ApiError(401, "BAD_TOKEN", auth == null ? "this request needs the header Authorization: Bearer <token>"
                    : "the token given is not the one in the --token-file");
        }
    }

    private static Map<String, String> params(Request req) {
        PathSpec spec = (PathSpec) req.getAttribute(PathMappingsHandler.PATHSPEC_ATTR);
        // the whole path: the handler's request sees only what follows the matched part as "in context"
        Map<String, String> p = spec instanceof UriTemplatePathSpec u ? u.getPathParams(req.getHttpURI().getCanonicalPath()) : null;
        if (p == null) return Map.of();
        // each value decoded on its own, after the match: an application named "my app" is /api/apps/my%20app
        Map<String, String> decoded = new LinkedHashMap<>();
        p.forEach((k, v) -> decoded.put(k, URIUtil.decodePath(v)));
        return decoded;
    }

    private void json(Response res, Callback cb, int status, Object body) throws JsonProcessingException {
        byte[] bytes = out.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        res.setStatus(status);
        res.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        res.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        res.write(true, java.nio.ByteBuffer.wrap(bytes), cb);
    }

    private void error(Response res, Callback cb, ApiError e) {
        try {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("code", e.code);
            body.put("message", String.valueOf(e.getMessage()));
            json(res, cb, e.status, Map.of("error", body));
        } catch (JsonProcessingException x) {
            cb.failed(x);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("stopping the HTTP server: {}", e.getMessage());
        }
    }
}
