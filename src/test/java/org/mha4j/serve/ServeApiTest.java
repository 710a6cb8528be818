package org.mha4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mha4j.config.ConfigLoader;
import org.mha4j.promote.FailoverRecord;
import org.mha4j.promote.Step;

/**
 * mha serve's HTTP API over a real socket, with applications whose servers do not answer (127.0.0.1 ports where nothing
 * listens): their managers fail their start checks and retry, which is all the API needs to list and report them.
 */
class ServeApiTest {

    private static final String TOKEN = "s3cret-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path confDir;
    private Path global;
    private final List<Serve> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Serve serve;

    @BeforeEach
    void setUp() throws IOException {
        confDir = Files.createDirectories(tmp.resolve("conf.d"));
        // in the directory on purpose: the global file is not taken for an application
        global = Files.writeString(confDir.resolve("global.cnf"), "");
    }

    @AfterEach
    void tearDown() {
        started.forEach(Serve::close);
    }

    // ---- fixtures ----

    private final java.util.Set<Integer> handedOut = new java.util.HashSet<>();

    /** A port of 127.0.0.1 where nothing listens now, never the same twice in a test (servers need their own ip:port). */
    int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (handedOut.add(s.getLocalPort())) return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Path workdir(String app) {
        return tmp.resolve("work").resolve(app);
    }

    String appText(String app, int servers) {
        StringBuilder sb = new StringBuilder("[server default]\nuser=mha\npassword=secret\nmanager_workdir=" + workdir(app) + "\nping_interval=1\n");
        for (int i = 1; i <= servers; i++) {
            sb.append("[server").append(i).append("]\nhostname=127.0.0.1\nport=").append(freePort()).append('\n');
        }
        return sb.toString();
    }

    Path writeApp(Path dir, String app) throws IOException {
        return writeApp(dir, app, ".cnf", 2);
    }

    Path writeApp(Path dir, String app, String ext, int servers) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(app + ext), appText(app, servers));
    }

    Path tokenFile(String token, String mode) throws IOException {
        Path f = tmp.resolve("token-" + mode);
        Files.writeString(f, token + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    ServeOptions options(List<Path> confs, int port, Optional<Path> token) {
        return new ServeOptions(Optional.of(confDir), confs, global, "127.0.0.1", port, token, 30, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    Serve start(Optional<Path> token) {
        return start(options(List.of(), 0, token));
    }

    Serve start(ServeOptions o) {
        Serve s = Serve.start(o);
        started.add(s);
        serve = s;
        return s;
    }

    Serve startWithToken() throws IOException {
        return start(Optional.of(tokenFile(TOKEN, "rw-------")));
    }

    // ---- HTTP ----

    record Reply(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** Asserts the API's error shape and returns its message. */
        String error(int expectedStatus, String code) {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(contentType).startsWith("application/json");
            JsonNode e = json().path("error");
            assertThat(e.path("code").asText()).as(body).isEqualTo(code);
            assertThat(e.path("message").asText()).isNotBlank();
            return e.path("message").asText();
        }
    }

    Reply send(String method, String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (authorization != null) b.header("Authorization", authorization);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Reply get(String path) {
        return send("GET", path, null, null);
    }

    Reply post(String path, String body) {
        return send("POST", path, body, "Bearer " + TOKEN);
    }

    JsonNode apps() {
        Reply r = get("/api/apps");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<String> names(JsonNode apps) {
        return StreamSupport.stream(apps.path("apps").spliterator(), false).map(a -> a.path("name").asText()).toList();
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    static boolean isListening(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    // ---- listing ----

    @Test
    void appsAreListedByNameWithTheirConfigPathAndServers() throws IOException {
        Path beta = writeApp(confDir, "beta");
        Path alpha = writeApp(confDir, "alpha");
        // MHA's global file by its usual name is never an application, whatever it holds
        Files.writeString(confDir.resolve("masterha_default.cnf"), "[server default]\nuser=mha\n");
        Files.writeString(confDir.resolve("README.txt"), "not a config");
        start(Optional.empty());

        JsonNode all = apps();
        assertThat(names(all)).containsExactly("alpha", "beta");
        assertThat(all.path("problems").isArray()).isTrue();
        assertThat(all.path("problems")).isEmpty();
        JsonNode a = all.path("apps").get(0);
        assertThat(a.path("conf").asText()).isEqualTo(alpha.toAbsolutePath().normalize().toString());
        assertThat(all.path("apps").get(1).path("conf").asText()).isEqualTo(beta.toAbsolutePath().normalize().toString());
        assertThat(list(a.path("servers"))).extracting(s -> s.path("name").asText()).containsExactly("server1", "server2");
        assertThat(list(a.path("servers"))).allSatisfy(s -> {
            assertThat(s.path("host").asText()).isEqualTo("127.0.0.1");
            assertThat(s.path("state").asText()).isEqualTo("down");
        });
        assertThat(a.has("master")).as("no master is watched: null fields are left out").isFalse();

        Reply one = get("/api/apps/alpha");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.contentType()).startsWith("application/json");
        assertThat(one.json().path("name").asText()).isEqualTo("alpha");
        assertThat(one.json().path("conf").asText()).isEqualTo(alpha.toAbsolutePath().normalize().toString());
    }

    @Test
    void anApplicationWhoseServersDoNotAnswerIsReportedAsRetried() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode a = get("/api/apps/alpha").json();
            assertThat(a.path("problem").asText()).contains("the manager stopped").contains("tried again in 1 s");
            assertThat(a.path("status").asText()).isEqualTo("CONFIG_ERROR");
            assertThat(a.path("detector").path("code").asText()).isEqualTo("NOT_MONITORING");
            assertThat(list(a.path("servers"))).allSatisfy(s -> assertThat(s.path("error").asText()).isNotEqualTo("not looked at yet"));
        });
    }

    @Test
    void aMalformedFileIsAProblemWithFileAndLineAndTheOthersAreStillListed() throws IOException {
        writeApp(confDir, "alpha");
        Path bad = Files.writeString(confDir.resolve("bad.cnf"),
                "[server default]\nuser=mha\nmanager_workdir=" + workdir("bad") + "\n[server1]\nport=3306\n");
        writeApp(confDir, "gamma");
        start(Optional.empty());

        JsonNode all = apps();
        assertThat(names(all)).containsExactly("alpha", "gamma");
        List<JsonNode> problems = list(all.path("problems"));
        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst().path("file").asText()).isEqualTo(bad.toAbsolutePath().normalize() + ":4");
        assertThat(problems.getFirst().path("message").asText()).contains("[server1] has no hostname");
        get("/api/apps/bad").error(404, "UNKNOWN_APP");
    }

    @Test
    void twoFilesOfOneApplicationNameInTheDirectoryAreAProblem() throws IOException {
        Path cnf = writeApp(confDir, "app1", ".cnf", 1);
        Path conf = writeApp(confDir, "app1", ".conf", 2);
        start(Optional.empty());

        JsonNode all = apps();
        assertThat(names(all)).containsExactly("app1");
        assertThat(all.path("apps").get(0).path("conf").asText()).isEqualTo(cnf.toAbsolutePath().normalize().toString());
        assertThat(all.path("apps").get(0).path("servers")).hasSize(1);
        List<JsonNode> problems = list(all.path("problems"));
        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst().path("file").asText()).isEqualTo(conf.toAbsolutePath().normalize().toString());
        assertThat(problems.getFirst().path("message").asText()).contains("application app1 is already configured by " + cnf.toAbsolutePath().normalize());
    }

    @Test
    void aFileNamedOnTheCommandLineWinsOverTheSameApplicationInTheDirectory() throws IOException {
        Path inDir = writeApp(confDir, "alpha");
        Path named = writeApp(tmp.resolve("elsewhere"), "alpha", ".cnf", 1);
        start(options(List.of(named), 0, Optional.empty()));

        JsonNode all = apps();
        assertThat(names(all)).containsExactly("alpha");
        assertThat(all.path("apps").get(0).path("conf").asText()).isEqualTo(named.toAbsolutePath().normalize().toString());
        List<JsonNode> problems = list(all.path("problems"));
        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst().path("file").asText()).isEqualTo(inDir.toAbsolutePath().normalize().toString());
        assertThat(problems.getFirst().path("message").asText()).contains("already configured by");
    }

    @Test
    void aFileNamedTwiceIsOneApplicationWithoutProblem() throws IOException {
        Path alpha = writeApp(confDir, "alpha");
        start(options(List.of(alpha, confDir.resolve("..").resolve("conf.d").resolve("alpha.cnf")), 0, Optional.empty()));

        JsonNode all = apps();
        assertThat(names(all)).containsExactly("alpha");
        assertThat(all.path("problems")).isEmpty();
    }

    /** mha serve without --global_conf: /etc/masterha_default.cnf is optional, as for every MHA command. */
    @Test
    void withoutTheDefaultGlobalFileTheApplicationsStillLoad() throws IOException {
        assumeFalse(Files.exists(ConfigLoader.DEFAULT_GLOBAL), "this host has " + ConfigLoader.DEFAULT_GLOBAL);
        Files.delete(global);   // not the global file in this run: it would be read as an application
        writeApp(confDir, "alpha");
        // as ServeCommand builds them when --global_conf is not given
        start(new ServeOptions(Optional.of(confDir), List.of(), null, "127.0.0.1", 0, Optional.empty(), 30,
                Duration.ofSeconds(1), Duration.ofSeconds(1)));

        JsonNode all = apps();
        assertThat(all.path("problems")).as(all.toString()).isEmpty();
        assertThat(names(all)).containsExactly("alpha");
    }

    /** An application whose file name holds a space (or [, {, %, ...) is asked for percent-encoded. */
    @Test
    void anApplicationWhoseNameNeedsPercentEncodingIsAddressable() throws IOException {
        writeApp(confDir, "my app");
        start(Optional.empty());
        assertThat(names(apps())).containsExactly("my app");

        Reply r = get("/api/apps/my%20app");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("name").asText()).isEqualTo("my app");
        assertThat(get("/health/my%20app/master/server1").status()).isEqualTo(503);
    }

    // ---- errors ----

    @Test
    void anUnknownApplicationIs404UnknownApp() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());

        String message = get("/api/apps/nope").error(404, "UNKNOWN_APP");
        assertThat(message).contains("nope").contains("alpha");
        get("/api/apps/nope/history").error(404, "UNKNOWN_APP");
        get("/health/nope/master/server1").error(404, "UNKNOWN_APP");
    }

    @ParameterizedTest(name = "GET {0} is 404 NOT_FOUND")
    @ValueSource(strings = {"/api/nothing", "/api", "/api/apps/alpha/bogus", "/api/apps/alpha/history/more", "/health/alpha/master"})
    void anUnknownPathUnderApiIs404NotFound(String path) throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());

        assertThat(get(path).error(404, "NOT_FOUND")).contains("no such resource");
    }

    @Test
    void aWrongMethodIs405() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());

        assertThat(get("/api/reload").error(405, "METHOD_NOT_ALLOWED")).contains("POST");
        get("/api/apps/alpha/switch").error(405, "METHOD_NOT_ALLOWED");
        get("/api/apps/alpha/acknowledge").error(405, "METHOD_NOT_ALLOWED");
        assertThat(send("POST", "/api/apps", "{}", null).error(405, "METHOD_NOT_ALLOWED")).contains("GET");
        send("DELETE", "/api/apps/alpha", null, null).error(405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void withoutATokenFileChangesAreRefused403() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());
        Path flag = Files.createDirectories(workdir("alpha")).resolve("alpha.failover.complete");
        Files.writeString(flag, "");

        assertThat(send("POST", "/api/reload", null, null).error(403, "NO_TOKEN_CONFIGURED")).contains("--token-file");
        // a token given changes nothing: there is none to compare it with
        send("POST", "/api/reload", null, "Bearer " + TOKEN).error(403, "NO_TOKEN_CONFIGURED");
        send("POST", "/api/apps/alpha/acknowledge", null, "Bearer " + TOKEN).error(403, "NO_TOKEN_CONFIGURED");
        send("POST", "/api/apps/alpha/switch", "{\"dry_run\": true}", null).error(403, "NO_TOKEN_CONFIGURED");
        assertThat(flag).exists();
        // reading needs no token on a loopback address
        assertThat(get("/api/apps").status()).isEqualTo(200);
    }

    @Test
    void withATokenFileChangesNeedTheRightBearerToken() throws IOException {
        writeApp(confDir, "alpha");
        startWithToken();

        assertThat(send("POST", "/api/reload", null, null).error(401, "BAD_TOKEN")).contains("Authorization: Bearer");
        assertThat(send("POST", "/api/reload", null, "Bearer not-the-token-at-all").error(401, "BAD_TOKEN")).contains("not the one");
        send("POST", "/api/reload", null, "Bearer " + TOKEN.substring(1)).error(401, "BAD_TOKEN");
        send("POST", "/api/reload", null, "Bearer " + TOKEN + "x").error(401, "BAD_TOKEN");
        send("POST", "/api/reload", null, "Basic " + TOKEN).error(401, "BAD_TOKEN");
        send("POST", "/api/reload", null, TOKEN).error(401, "BAD_TOKEN");

        Reply ok = send("POST", "/api/reload", null, "Bearer " + TOKEN);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        JsonNode r = ok.json();
        for (String field : List.of("started", "restarted", "stopped", "deferred", "problems")) {
            assertThat(r.path(field).isArray()).as(field + " in " + ok.body()).isTrue();
            assertThat(r.path(field)).as("nothing changed: " + field).isEmpty();
        }
        // reads stay open on loopback even with a token configured
        assertThat(get("/api/apps/alpha").status()).isEqualTo(200);
    }

    // ---- start refused ----

    @Test
    void aTokenFileOthersCanReadIsRefusedBeforeListening() throws IOException {
        writeApp(confDir, "alpha");
        Path token = tokenFile(TOKEN, "rw-r--r--");
        int port = freePort();

        assertThatThrownBy(() -> start(options(List.of(), port, Optional.of(token))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chmod 600 " + token);
        assertThat(isListening(port)).isFalse();
        assertThat(workdir("alpha")).as("no manager was started").doesNotExist();
    }

    @Test
    void aTokenFileTheGroupCanReadIsRefused() throws IOException {
        Path token = tokenFile(TOKEN, "rw-r-----");
        assertThatThrownBy(() -> start(Optional.of(token))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chmod 600");
    }

    @ParameterizedTest(name = "token \"{0}\" is refused")
    @ValueSource(strings = {"", "   ", "short", "0123456789abcde"})
    void aShortTokenIsRefused(String token) throws IOException {
        Path f = tokenFile(token, "rw-------");
        int port = freePort();
        assertThatThrownBy(() -> start(options(List.of(), port, Optional.of(f))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--token-file " + f)
                .hasMessageContaining(token.isBlank() ? "holds nothing" : "shorter than 16 characters");
        assertThat(isListening(port)).isFalse();
    }

    @Test
    void aMissingTokenFileIsRefused() {
        Path f = tmp.resolve("no-such-token");
        assertThatThrownBy(() -> start(Optional.of(f))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void aTokenOfSixteenCharactersIsAccepted() throws IOException {
        Path f = tokenFile("0123456789abcdef", "rw-------");
        start(Optional.of(f));
        assertThat(send("POST", "/api/reload", null, "Bearer 0123456789abcdef").status()).isEqualTo(200);
    }

    @Test
    void aPortInUseIsOneClearError() throws IOException {
        writeApp(confDir, "alpha");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> start(options(List.of(), port, Optional.empty())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageContaining("another mha serve?");
        }
        assertThat(workdir("alpha")).as("no manager was started").doesNotExist();
    }

    // ---- switch ----

    @ParameterizedTest(name = "switch body {0} is 400")
    @ValueSource(strings = {"{\"new_master_host\": \"127.0.0.1\", \"bogus\": 1}", "{\"newMasterHost\": \"127.0.0.1\"}", "{not json",
            "[1, 2]", "null", "{\"new_master_port\": \"three\"}", "{\"running_updates_limit\": -1}", "{\"seconds_behind_master\": -5}"})
    void anInvalidSwitchRequestIs400AndChangesNothing(String body) throws IOException {
        Path alpha = writeApp(confDir, "alpha");
        String before = Files.readString(alpha);
        FileTime mtime = Files.getLastModifiedTime(alpha);
        startWithToken();

        post("/api/apps/alpha/switch", body).error(400, "BAD_REQUEST");
        assertThat(Files.readString(alpha)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(alpha)).isEqualTo(mtime);
        assertThat(get("/api/apps/alpha").json().path("status").asText()).isNotEqualTo("SWITCH_RUNNING");
        try (var files = Files.list(confDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("alpha.cnf", "global.cnf");
        }
    }

    @Test
    void anUnknownFieldIsNamedInTheError() throws IOException {
        writeApp(confDir, "alpha");
        startWithToken();
        assertThat(post("/api/apps/alpha/switch", "{\"dry_run\": true, \"new_master\": \"x\"}").error(400, "BAD_REQUEST")).contains("new_master");
    }

    @Test
    void aSwitchOfAnUnknownApplicationIs404() throws IOException {
        writeApp(confDir, "alpha");
        startWithToken();
        post("/api/apps/nope/switch", "{\"dry_run\": true}").error(404, "UNKNOWN_APP");
        post("/api/apps/nope/acknowledge", null).error(404, "UNKNOWN_APP");
    }

    // ---- reload ----

    @Test
    void reloadStartsTheApplicationOfANewFile() throws IOException {
        writeApp(confDir, "alpha");
        startWithToken();
        assertThat(names(apps())).containsExactly("alpha");

        writeApp(confDir, "delta");
        Reply r = post("/api/reload", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(list(r.json().path("started"))).extracting(JsonNode::asText).containsExactly("delta");
        assertThat(r.json().path("stopped")).isEmpty();
        assertThat(r.json().path("restarted")).isEmpty();
        assertThat(names(apps())).containsExactly("alpha", "delta");
        assertThat(get("/api/apps/delta").status()).isEqualTo(200);
    }

    @Test
    void reloadStopsTheApplicationOfARemovedFile() throws IOException {
        writeApp(confDir, "alpha");
        Path beta = writeApp(confDir, "beta");
        startWithToken();
        assertThat(names(apps())).containsExactly("alpha", "beta");

        Files.delete(beta);
        Reply r = post("/api/reload", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(list(r.json().path("stopped"))).extracting(JsonNode::asText).containsExactly("beta");
        assertThat(names(apps())).containsExactly("alpha");
        get("/api/apps/beta").error(404, "UNKNOWN_APP");
        assertThat(get("/metrics").body()).doesNotContain("app=\"beta\"");
    }

    @Test
    void aMalformedEditKeepsTheRunningApplicationAndAddsAProblem() throws IOException {
        Path alpha = writeApp(confDir, "alpha");
        startWithToken();
        String conf = apps().path("apps").get(0).path("conf").asText();

        Files.writeString(alpha, "[server default]\nuser=mha\nmanager_workdir=" + workdir("alpha") + "\n[server1]\nport=3306\n[server2]\n");
        Reply r = post("/api/reload", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("stopped")).isEmpty();
        assertThat(r.json().path("restarted")).isEmpty();
        assertThat(list(r.json().path("problems"))).extracting(p -> p.path("file").asText()).containsExactly(conf + ":4");

        JsonNode all = apps();
        assertThat(names(all)).containsExactly("alpha");
        assertThat(all.path("apps").get(0).path("servers")).as("the config it was started with").hasSize(2);
        assertThat(list(all.path("problems"))).extracting(p -> p.path("message").asText())
                .singleElement().asString().contains("has no hostname");

        // once repaired, it restarts on the new config and the problem is gone
        Files.writeString(alpha, appText("alpha", 3));
        Reply fixed = post("/api/reload", null);
        assertThat(list(fixed.json().path("restarted"))).extracting(JsonNode::asText).containsExactly("alpha");
        assertThat(fixed.json().path("problems")).isEmpty();
        JsonNode after = apps();
        assertThat(after.path("problems")).isEmpty();
        assertThat(after.path("apps").get(0).path("servers")).hasSize(3);
    }

    @Test
    void serveReloadFromJavaDoesWhatThePostDoes() throws IOException {
        writeApp(confDir, "alpha");
        Serve s = start(Optional.empty());
        writeApp(confDir, "omega");
        s.reload();
        assertThat(names(apps())).containsExactly("alpha", "omega");
    }

    // ---- metrics ----

    @Test
    void metricsListEveryApplicationAndTheJvm() throws IOException {
        writeApp(confDir, "alpha");
        writeApp(confDir, "beta");
        start(Optional.empty());

        Reply m = get("/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.contentType()).startsWith("text/plain");
        List<String> lines = m.body().lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("mha_manager_status\\{app=\"alpha\"} -?\\d+(\\.\\d+)?(E-?\\d+)?"));
        assertThat(lines).anyMatch(l -> l.matches("mha_manager_status\\{app=\"beta\"} -?\\d+(\\.\\d+)?(E-?\\d+)?"));
        assertThat(lines).anyMatch(l -> l.matches("mha_server_up\\{app=\"alpha\",server=\"server1\"} 0(\\.0)?"));
        assertThat(lines).anyMatch(l -> l.matches("mha_server_up\\{app=\"beta\",server=\"server2\"} 0(\\.0)?"));
        assertThat(lines).anyMatch(l -> l.startsWith("jvm_memory_used_bytes{"));
        assertThat(lines).anyMatch(l -> l.startsWith("jvm_threads_live_threads"));
        assertThat(lines).anyMatch(l -> l.startsWith("# HELP mha_manager_status"));
    }

    @Test
    void theStatusMetricFollowsTheApplicationsState() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());
        // the manager fails its start checks: CONFIG_ERROR, masterha_check_status's 31
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/api/apps/alpha").json().path("status").asText().equals("CONFIG_ERROR"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/metrics").body().lines()
                .anyMatch(l -> l.matches("mha_manager_status\\{app=\"alpha\"} 31(\\.0)?")));
    }

    // ---- health over HTTP ----

    @Test
    void theMasterCheckFailsWhileTheManagerWatchesNoMaster() throws IOException {
        Path alpha = writeApp(confDir, "alpha");
        start(Optional.empty());
        String port1 = Files.readString(alpha).lines().filter(l -> l.startsWith("port=")).findFirst().orElseThrow().substring(5);

        for (String id : List.of("server1", "127.0.0.1:" + port1, "127.0.0.1_" + port1)) {
            Reply r = get("/health/alpha/master/" + id);
            assertThat(r.status()).as(id).isEqualTo(503);
            assertThat(r.contentType()).startsWith("application/json");
            JsonNode j = r.json();
            assertThat(j.path("status").asInt()).isEqualTo(503);
            assertThat(j.path("server").asText()).isEqualTo("server1");
            assertThat(j.path("reason").asText()).contains("watches no master");
        }
        Reply replica = get("/health/alpha/replica/server2");
        assertThat(replica.status()).isEqualTo(503);
        assertThat(replica.json().path("reason").asText()).contains("not reachable");
    }

    @Test
    void healthChecksAnswer404ForAnUnknownServerOrRole() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());

        Reply unknown = get("/health/alpha/master/server9");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("reason").asText()).contains("server9 is not a server of alpha");
        // both servers are on 127.0.0.1: the bare host names neither
        assertThat(get("/health/alpha/replica/127.0.0.1").status()).isEqualTo(404);
        assertThat(get("/health/alpha/foo/server1").error(404, "NOT_FOUND")).contains("/health/<app>/master/<server>");
    }

    @ParameterizedTest(name = "max_lag={0} is 400")
    @ValueSource(strings = {"abc", "-1", "1.5", ""})
    void aBadMaxLagIs400(String value) throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());
        assertThat(get("/health/alpha/replica/server2?max_lag=" + value).error(400, "BAD_REQUEST")).contains("max_lag");
    }

    @Test
    void aGoodMaxLagIsAccepted() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());
        Reply r = get("/health/alpha/replica/server2?max_lag=5");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().path("server").asText()).isEqualTo("server2");
    }

    // ---- acknowledge ----

    @Test
    void acknowledgeRemovesTheFailoverFlagsOnce() throws IOException {
        writeApp(confDir, "alpha");
        startWithToken();
        Path complete = Files.createDirectories(workdir("alpha")).resolve("alpha.failover.complete");
        Files.writeString(complete, "");

        Reply first = post("/api/apps/alpha/acknowledge", null);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("removed").isBoolean()).isTrue();
        assertThat(first.json().path("removed").asBoolean()).isTrue();
        assertThat(complete).doesNotExist();

        Reply second = post("/api/apps/alpha/acknowledge", null);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("removed").isBoolean()).isTrue();
        assertThat(second.json().path("removed").asBoolean()).isFalse();
    }

    @Test
    void acknowledgeRemovesTheErrorFlagToo() throws IOException {
        writeApp(confDir, "alpha");
        startWithToken();
        Path error = Files.createDirectories(workdir("alpha")).resolve("alpha.failover.error");
        Files.writeString(error, "");

        send("POST", "/api/apps/alpha/acknowledge", null, "Bearer wrong-token-wrong-token").error(401, "BAD_TOKEN");
        assertThat(error).exists();
        assertThat(post("/api/apps/alpha/acknowledge", null).json().path("removed").asBoolean()).isTrue();
        assertThat(error).doesNotExist();
    }

    // ---- history ----

    static FailoverRecord record(String app, String kind, String started, String outcome) {
        Step step = new Step("Phase 3: Master Recovery Phase", "sql", "server2 (127.0.0.1:3307)", "STOP SLAVE", started, 12, Step.OK, null);
        return new FailoverRecord(app, kind, "127.0.0.1:3306", kind.equals("switch") ? "planned" : "DEAD_MASTER", "127.0.0.1:3307", started,
                Instant.parse(started).plusSeconds(5).toString(), 0, outcome, null, "done", List.of(step), null);
    }

    @Test
    void historyListsTheRecordsNewestFirst() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());
        assertThat(get("/api/apps/alpha/history").json().path("history")).as("no record yet").isEmpty();

        Path work = workdir("alpha");
        record("alpha", "failover", "2024-03-01T10:00:00Z", "done").write(work);
        record("alpha", "switch", "2024-05-01T10:00:00Z", "done").write(work);
        record("alpha", "failover", "2024-04-01T10:00:00Z", "partial").write(work);
        // not alpha's: another application's record and the flag files
        record("alphabet", "failover", "2024-06-01T10:00:00Z", "done").write(work);
        Files.writeString(work.resolve("alpha.failover.complete"), "");

        Reply r = get("/api/apps/alpha/history");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> history = list(r.json().path("history"));
        assertThat(history).extracting(h -> h.path("started").asText())
                .containsExactly("2024-05-01T10:00:00Z", "2024-04-01T10:00:00Z", "2024-03-01T10:00:00Z");
        assertThat(history).extracting(h -> h.path("kind").asText()).containsExactly("switch", "failover", "failover");
        JsonNode newest = history.getFirst();
        assertThat(newest.path("app").asText()).isEqualTo("alpha");
        assertThat(newest.path("cause").asText()).isEqualTo("planned");
        assertThat(newest.path("newMaster").asText()).isEqualTo("127.0.0.1:3307");
        assertThat(newest.path("steps")).hasSize(1);
        assertThat(newest.path("steps").get(0).path("statement").asText()).isEqualTo("STOP SLAVE");
        assertThat(history.get(1).path("outcome").asText()).isEqualTo("partial");
    }

    @Test
    void historyKeepsTheNewestFifty() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());
        Instant first = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < HttpApi.HISTORY_LIMIT + 5; i++) {
            record("alpha", "failover", first.plus(Duration.ofHours(i)).toString(), "done").write(workdir("alpha"));
        }
        List<JsonNode> history = list(get("/api/apps/alpha/history").json().path("history"));
        assertThat(history).hasSize(HttpApi.HISTORY_LIMIT);
        assertThat(history.getFirst().path("started").asText()).isEqualTo(first.plus(Duration.ofHours(HttpApi.HISTORY_LIMIT + 4)).toString());
        assertThat(history.getLast().path("started").asText()).isEqualTo(first.plus(Duration.ofHours(5)).toString());
    }

    @Test
    void anUnreadableRecordIsSkipped() throws IOException {
        writeApp(confDir, "alpha");
        start(Optional.empty());
        record("alpha", "failover", "2024-03-01T10:00:00Z", "done").write(workdir("alpha"));
        Files.writeString(workdir("alpha").resolve("alpha.failover.20240401T100000Z.json"), "{ truncated");

        Reply r = get("/api/apps/alpha/history");
        assertThat(r.status()).isEqualTo(200);
        assertThat(list(r.json().path("history"))).extracting(h -> h.path("started").asText()).containsExactly("2024-03-01T10:00:00Z");
    }

    /**
     * An application's name may hold a glob's characters ("db[1]" would match db1's records as a pattern); manager_workdir
     * is shared by default (/var/tmp), so its history must be its own records only.
     */
    @Test
    void historyMatchesTheApplicationNameLiterally() throws IOException {
        Path shared = tmp.resolve("work").resolve("shared");
        Path odd = Files.writeString(confDir.resolve("db[1].cnf"),
                "[server default]\nuser=mha\nmanager_workdir=" + shared + "\n[server1]\nhostname=127.0.0.1\nport=" + freePort() + "\n");
        record("db1", "failover", "2024-03-01T10:00:00Z", "done").write(shared);
        record("db[1]", "switch", "2024-02-01T10:00:00Z", "done").write(shared);

        List<FailoverRecord> h = FailoverRecord.history(ConfigLoader.load(odd, global), HttpApi.HISTORY_LIMIT);
        assertThat(h).extracting(FailoverRecord::app).containsExactly("db[1]");
    }

    // ---- close ----

    @Test
    void closeStopsListening() throws IOException {
        writeApp(confDir, "alpha");
        Serve s = start(Optional.empty());
        int port = s.port();
        assertThat(port).isPositive();
        assertThat(get("/api/apps").status()).isEqualTo(200);
        s.close();
        started.remove(s);
        assertThat(isListening(port)).isFalse();
    }
}
