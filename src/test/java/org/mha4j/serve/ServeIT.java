package org.mha4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mha4j.sandbox.Sandbox;

/**
 * mha serve against two real clusters at once: a kill -9 of one master fails over that application only, while a
 * server of the other application hangs (SIGSTOP); the API, /metrics and the health checks show the change.
 */
@Tag("integration")
class ServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;
    Sandbox one;
    Sandbox two;
    Serve serve;
    Long stoppedPid;

    @AfterEach
    void down() throws Exception {
        if (stoppedPid != null) new ProcessBuilder("kill", "-CONT", String.valueOf(stoppedPid)).start().waitFor();
        if (serve != null) serve.close();
        if (one != null) one.down();
        if (two != null) two.down();
    }

    @Test
    void aCrashFailsOverItsOwnApplicationOnlyAndEveryViewShowsIt() throws Exception {
        one = Sandbox.create(tmp.resolve("one"), 3, 0).up();
        two = Sandbox.create(tmp.resolve("two"), 3, 0).up();
        Path dir = Files.createDirectories(tmp.resolve("mha"));
        Files.copy(one.configFile(), dir.resolve("alpha.cnf"));
        Files.copy(two.configFile(), dir.resolve("beta.cnf"));
        Path global = Files.writeString(tmp.resolve("global.cnf"), "");
        serve = Serve.start(new ServeOptions(Optional.of(dir), List.of(), global, "127.0.0.1", 0, Optional.empty(), 30,
                Duration.ofSeconds(1), Duration.ofSeconds(5)));
        String alphaMaster = "127.0.0.1:" + one.node(1).port();
        String betaMaster = "127.0.0.1:" + two.node(1).port();
        await().atMost(Duration.ofSeconds(60)).until(() -> status("alpha").equals("PING_OK") && status("beta").equals("PING_OK"));
        assertThat(app("alpha").path("master").asText()).isEqualTo(alphaMaster);
        assertThat(health("alpha", "master", "server1")).isEqualTo(200);
        assertThat(health("alpha", "master", "server2")).isEqualTo(503);
        await().atMost(Duration.ofSeconds(10)).until(() -> health("alpha", "replica", "server2") == 200);

        // a hung replica in beta: nothing beta's manager does about it may hold alpha's failover up
        stoppedPid = Long.parseLong(Files.readString(two.node(3).pidFile()).strip());
        new ProcessBuilder("kill", "-STOP", String.valueOf(stoppedPid)).start().waitFor();

        List<String> betaStates = new ArrayList<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread beta = Thread.ofVirtual().start(() -> {
            while (watching.get()) {
                try {
                    betaStates.add(status("beta") + " " + app("beta").path("master").asText());
                    Thread.sleep(200);
                } catch (Exception e) {
                    betaStates.add("error " + e);
                }
            }
        });
        one.killNode(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode a = app("alpha");
            return a.path("status").asText().equals("PING_OK") && !a.path("master").asText().equals(alphaMaster) && !a.path("master").isMissingNode();
        });
        watching.set(false);
        beta.join();

        JsonNode alpha = app("alpha");
        String newMaster = alpha.path("master").asText();
        String newBlock = newMaster.equals("127.0.0.1:" + one.node(2).port()) ? "server2" : "server3";
        assertThat(newMaster).isIn("127.0.0.1:" + one.node(2).port(), "127.0.0.1:" + one.node(3).port());
        await().atMost(Duration.ofSeconds(10)).until(() -> health("alpha", "master", newBlock) == 200);
        assertThat(health("alpha", "master", "server1")).isEqualTo(503);
        assertThat(health("beta", "master", "server1")).isEqualTo(200);

        // beta was watched on its own master all along, and never failed over
        assertThat(betaStates).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo("PING_OK " + betaMaster));
        JsonNode history = get("/api/apps/alpha/history").path("history");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("outcome").asText()).isEqualTo("done");
        assertThat(history.get(0).path("newMaster").asText()).isEqualTo(newMaster);
        assertThat(history.get(0).path("steps").size()).isGreaterThan(5);
        assertThat(get("/api/apps/beta/history").path("history")).isEmpty();

        String metrics = text("/metrics");
        assertThat(metrics).contains("mha_failovers_total{app=\"alpha\",result=\"done\"} 1.0")
                .doesNotContain("mha_failovers_total{app=\"beta\"")
                .contains("mha_detection_seconds_count{app=\"alpha\"} 1")
                .contains("mha_server_up{app=\"beta\",server=\"server1\"} 1.0")
                .contains("mha_manager_status{app=\"alpha\"} 0.0");
        await().atMost(Duration.ofSeconds(10)).until(() -> text("/metrics").contains("mha_server_up{app=\"beta\",server=\"server3\"} 0.0"));

        // the old master comes back: fenced and reported as needing a rejoin, never a master for the load balancers
        one.startNode(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> app("alpha").path("needsRejoin").size() == 1);
        assertThat(app("alpha").path("needsRejoin").get(0).path("server").asText()).isEqualTo(alphaMaster);
        assertThat(health("alpha", "master", "server1")).isEqualTo(503);
        assertThat(app("alpha").path("master").asText()).isEqualTo(newMaster);

        // each application's manager_log holds its own lines only
        String alphaLog = Files.readString(one.dir().resolve("manager/app1.log"));
        String betaLog = Files.readString(two.dir().resolve("manager/app1.log"));
        assertThat(alphaLog).contains("completed successfully").doesNotContain(betaMaster);
        assertThat(betaLog).contains("Ping(SELECT) succeeded").doesNotContain("Starting master failover").doesNotContain(alphaMaster);
    }

    private int health(String app, String role, String server) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/health/" + app + "/" + role + "/" + server)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private String status(String app) throws IOException, InterruptedException {
        return app(app).path("status").asText();
    }

    private JsonNode app(String app) throws IOException, InterruptedException {
        return get("/api/apps/" + app);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(text(path));
    }

    private String text(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + serve.port() + path);
    }
}
