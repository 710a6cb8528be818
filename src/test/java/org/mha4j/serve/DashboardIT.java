package org.mha4j.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mha4j.testing.SandboxTest;
import org.mha4j.sandbox.Sandbox;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard of mha serve in a real (headless) Chromium, on real MariaDB servers: the page draws the application,
 * its master and its three servers, and after a kill -9 of the master it draws the failover's outcome: the new master
 * on top, the old one down, the failover in the history. Screenshots are decoded and the expected colours counted
 * where the elements are, so what is checked is what a person would see, not only the DOM.
 *
 * <p>Needs Debian's chromium and chromium-driver ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}); without
 * them the test fails: nothing is downloaded.
 */
class DashboardIT extends SandboxTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;

    // dashboard.css
    private static final int STATUS_OK_GREEN = 0x2e7d32;
    private static final int SEMI_ON_FILL = 0xc8e6c9;
    private static final int SEMI_OFF_FILL = 0xffe0b2;
    private static final int DOWN_FILL = 0xffcdd2;

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * What the card of app1 shows, read in one script run (the topology is redrawn every second: its elements do not
     * outlive a refresh, so they are not held as WebElements).
     */
    private static final String SNAPSHOT = """
            const c = document.getElementById('app-app1');
            if (!c) return null;
            const rect = e => { const b = e.getBoundingClientRect(); return {x: b.x, y: b.y, width: b.width, height: b.height}; };
            return JSON.stringify({
              status: c.querySelector('.status').textContent,
              statusClass: c.querySelector('.status').getAttribute('class'),
              master: c.querySelector('.master').textContent,
              detector: c.querySelector('.detector').textContent,
              problemShown: !c.querySelector('.problem').hidden,
              failoverShown: !c.querySelector('.failover').hidden,
              servers: [...c.querySelectorAll('svg.topology g.server')].map(g => ({
                name: g.getAttribute('data-server'),
                cls: g.getAttribute('class'),
                label: [...g.querySelectorAll('text')].map(t => t.textContent),
                box: rect(g.querySelector('rect.box'))})),
              arrows: c.querySelectorAll('svg.topology line.arrow').length,
              history: [...c.querySelectorAll('.history tbody tr')].map(tr => [...tr.cells].map(td => td.textContent)),
              dpr: window.devicePixelRatio,
              innerWidth: window.innerWidth,
              innerHeight: window.innerHeight,
              outerWidth: window.outerWidth,
              outerHeight: window.outerHeight,
              updated: document.getElementById('updated').textContent});
            """;

    /**
     * Records, in the page, every failover block the dashboard showed and every status it rendered: a failover here
     * lasts well under the dashboard's one-second poll, so it is reported, never required.
     */
    private static final String OBSERVE = """
            const c = document.getElementById('app-app1');
            window.mha4jSeen = {statuses: [], failovers: []};
            const seen = window.mha4jSeen;
            new MutationObserver(() => {
              const s = c.querySelector('.status').textContent;
              if (seen.statuses[seen.statuses.length - 1] !== s) seen.statuses.push(s);
              const f = c.querySelector('.failover');
              if (!f.hidden) seen.failovers.push(c.querySelector('.phase').textContent + ' ['
                  + [...c.querySelectorAll('.steps li')].map(li => li.textContent).join('; ') + ']');
            }).observe(c, {subtree: true, childList: true, characterData: true, attributes: true});
            """;

    record Box(double x, double y, double width, double height) {}

    record ServerBox(String name, String cls, List<String> label, Box box) {
        boolean drawnAs(String cssClass) {
            return Arrays.asList(cls.split("\\s+")).contains(cssClass);
        }
    }

    record Card(String status, String statusClass, String master, String detector, boolean problemShown, boolean failoverShown,
                List<ServerBox> servers, int arrows, List<List<String>> history, double dpr, int innerWidth, int innerHeight,
                int outerWidth, int outerHeight, String updated) {
        ServerBox server(String name) {
            return servers.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no server box " + name + " in " + servers));
        }

        /** The parts a screenshot shows and a refresh could move or recolour (not the detector's last check time). */
        boolean drawnSameAs(Card o) {
            return status.equals(o.status) && statusClass.equals(o.statusClass) && master.equals(o.master)
                    && problemShown == o.problemShown && failoverShown == o.failoverShown && servers.equals(o.servers);
        }
    }

    record Shot(BufferedImage image, Path file, Card card, Rectangle statusRect) {}

    private Serve serve;
    private WebDriver driver;

    @AfterEach
    void closeBrowserThenServe() {
        // before SandboxTest's @AfterEach takes the servers down: the managers must not see their masters vanish
        try {
            if (driver != null) driver.quit();
        } finally {
            if (serve != null) serve.close();
        }
    }

    @Test
    void drawsTheTopologyThenTheFailoverOfAKilledMaster() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM)).as("%s is missing: this test needs Debian's chromium package (apt-get install chromium)", CHROMIUM).isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER)).as("%s is missing: this test needs Debian's chromium-driver package (apt-get install chromium-driver)",
                CHROMEDRIVER).isTrue();

        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        String[] hostPort = new String[4];
        for (int i = 1; i <= 3; i++) hostPort[i] = "127.0.0.1:" + sb.node(i).port();

        Path confDir = Files.createDirectories(tmp.resolve("conf"));
        Files.copy(sb.configFile(), confDir.resolve("app1.conf"), StandardCopyOption.COPY_ATTRIBUTES);
        Path global = Files.writeString(tmp.resolve("global.cnf"), "");
        serve = Serve.start(new ServeOptions(Optional.of(confDir), List.of(), global, "127.0.0.1", 0, Optional.empty(), 30,
                Duration.ofSeconds(1), Duration.ofSeconds(5)));

        driver = chromium();
        driver.get("http://127.0.0.1:" + serve.port() + "/");
        assertThat(driver.getTitle()).isEqualTo("MHA4J");

        // ---- the application, watched: PING_OK, node 1 master on top with semi-sync on, two replicas under it ----
        Card before = awaitCard(Duration.ofSeconds(45), "app1 watched with node 1 as its semi-sync master and two replicas",
                c -> c.status().equals("PING_OK") && c.master().equals(hostPort[1]) && c.servers().size() == 3 && c.arrows() == 2
                        && c.server("server1").drawnAs("semi-on")
                        && c.servers().stream().filter(s -> !s.name().equals("server1")).allMatch(s -> s.drawnAs("replica")));
        WebElement card = driver.findElement(By.cssSelector("article.app[data-app='app1']"));
        assertThat(card.getDomAttribute("id")).isEqualTo("app-app1");
        assertThat(card.findElement(By.cssSelector(".name")).getText()).isEqualTo("app1");
        assertThat(card.findElement(By.cssSelector(".status")).getText()).isEqualTo("PING_OK");
        assertThat(card.findElement(By.cssSelector(".master")).getText()).isEqualTo(hostPort[1]);
        assertThat(card.findElement(By.cssSelector(".detector")).getText()).startsWith("MASTER_ALIVE");
        assertThat(before.statusClass()).isEqualTo("status ok");
        assertThat(before.problemShown()).isFalse();
        assertThat(before.failoverShown()).isFalse();
        assertThat(before.servers()).extracting(ServerBox::name).containsExactlyInAnyOrder("server1", "server2", "server3");
        ServerBox master = before.server("server1");
        assertThat(master.cls().split("\\s+")).contains("server", "master", "semi-on");
        assertThat(master.label()).containsExactly("server1 (master)", hostPort[1], "semi-sync on");
        for (String replica : List.of("server2", "server3")) {
            ServerBox r = before.server(replica);
            assertThat(r.drawnAs("master")).as(replica).isFalse();
            assertThat(r.box().y()).as("%s is drawn below the master", replica).isGreaterThan(master.box().y() + master.box().height());
        }

        Shot first = screenshot("1-watched", c -> c.drawnSameAs(before));
        assertDrawn(first);
        assertThat(share(first, first.statusRect(), STATUS_OK_GREEN))
                .as("share of the PING_OK badge's rectangle %s painted #2e7d32 in %s", first.statusRect(), first.file()).isGreaterThan(0.5);
        assertThat(share(first, first.card().server("server1").box(), SEMI_ON_FILL))
                .as("share of the master's box painted #c8e6c9 (semi-sync on) in %s", first.file()).isGreaterThan(0.5);
        assertThat(share(first, first.card().server("server1").box(), DOWN_FILL)).isZero();

        // ---- kill -9 of the master: the dashboard follows the failover ----
        card.findElement(By.cssSelector("details.history > summary")).click();
        assertThat(card.findElement(By.cssSelector("details.history")).getDomProperty("open")).isEqualTo("true");
        assertThat(card.findElements(By.cssSelector(".history tbody tr"))).as("no failover yet").isEmpty();
        ((JavascriptExecutor) driver).executeScript(OBSERVE);
        sb.killNode(1);
        Card after = awaitCard(Duration.ofSeconds(60), "another master watched, PING_OK again, and a done failover in the history",
                c -> (c.master().equals(hostPort[2]) || c.master().equals(hostPort[3])) && c.status().equals("PING_OK")
                        && c.history().stream().anyMatch(row -> row.size() == 7 && row.get(1).equals("failover") && row.get(5).equals("done")));
        System.out.println("DashboardIT: seen during the failover: " + ((JavascriptExecutor) driver).executeScript("return JSON.stringify(window.mha4jSeen)"));

        String newName = after.master().equals(hostPort[2]) ? "server2" : "server3";
        String otherName = newName.equals("server2") ? "server3" : "server2";
        assertThat(after.statusClass()).isEqualTo("status ok");
        assertThat(after.failoverShown()).isFalse();
        List<String> row = after.history().stream().filter(r -> r.get(1).equals("failover")).findFirst().orElseThrow();
        // started, kind, master, new master, cause, outcome, took
        assertThat(row.get(2)).isEqualTo(hostPort[1]);
        assertThat(row.get(3)).isEqualTo(after.master());
        assertThat(row.get(6)).matches("\\d+ ms");
        assertThat(after.history()).hasSize(1);
        // the history is open: the row is shown, not only in the DOM (its tbody is replaced every 5 s: read it afresh)
        await("the failover's row shown").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                driver.findElement(By.cssSelector("#app-app1 .history tbody tr")).getText()
                        .matches(".*failover " + java.util.regex.Pattern.quote(hostPort[1] + " " + after.master()) + " .* done \\d+ ms"));

        Card drawn = awaitCard(Duration.ofSeconds(15), newName + " drawn as master, server1 down, " + otherName + " replicating from " + newName,
                c -> c.master().equals(after.master()) && c.server(newName).drawnAs("master") && c.server("server1").drawnAs("down")
                        && c.server(otherName).drawnAs("replica") && c.arrows() == 1);
        ServerBox newMaster = drawn.server(newName);
        ServerBox oldMaster = drawn.server("server1");
        assertThat(newMaster.label()).startsWith(newName + " (master)", after.master());
        assertThat(oldMaster.drawnAs("master")).as("the old master's box classes: %s", oldMaster.cls()).isFalse();
        assertThat(oldMaster.label().getFirst()).doesNotContain("master");
        assertThat(oldMaster.label().get(2)).isEqualTo("down");
        assertThat(newMaster.box().y()).as("the new master is drawn on top").isLessThan(oldMaster.box().y());
        assertThat(drawn.server(otherName).box().y()).isEqualTo(oldMaster.box().y());

        Shot second = screenshot("2-after-failover", c -> c.drawnSameAs(drawn));
        assertDrawn(second);
        assertThat(share(second, second.statusRect(), STATUS_OK_GREEN)).as("PING_OK badge again, in %s", second.file()).isGreaterThan(0.5);
        Box newBox = second.card().server(newName).box();
        Box oldBox = second.card().server("server1").box();
        int newFill = newMaster.drawnAs("semi-on") ? SEMI_ON_FILL : newMaster.drawnAs("semi-off") ? SEMI_OFF_FILL : 0xeceff1;
        assertThat(share(second, newBox, newFill)).as("the new master's box (%s) painted its fill in %s", newMaster.cls(), second.file())
                .isGreaterThan(0.5);
        assertThat(share(second, oldBox, DOWN_FILL)).as("the old master's box painted #ffcdd2 (down) in %s", second.file()).isGreaterThan(0.5);
        assertThat(share(second, oldBox, SEMI_ON_FILL)).as("the old master's box no longer painted as the semi-sync master").isZero();
    }

    // ---- browser ----

    private WebDriver chromium() throws IOException {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(tmp.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=" + WIDTH + "," + HEIGHT,
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        return new ChromeDriver(service, options);
    }

    private Card card() {
        Object json = ((JavascriptExecutor) driver).executeScript(SNAPSHOT);
        if (json == null) return null;
        try {
            return JSON.readValue((String) json, Card.class);
        } catch (IOException e) {
            throw new AssertionError("the page's snapshot is not JSON: " + json, e);
        }
    }

    private Card awaitCard(Duration atMost, String what, Predicate<Card> condition) {
        Card[] last = new Card[1];
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> (last[0] = card()) != null && condition.test(last[0]));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": not drawn within " + atMost + "; the page last showed " + last[0]
                    + "; the API says " + api("api/apps"), e);
        }
        return last[0];
    }

    private String api(String path) {
        try {
            return ((String) ((JavascriptExecutor) driver).executeAsyncScript(
                    "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));", path));
        } catch (RuntimeException e) {
            return "(not read: " + e.getMessage() + ")";
        }
    }

    /**
     * A screenshot of what {@code stable} describes: the card is read before and after it, and the shot is taken
     * again if a refresh changed what it draws in between.
     */
    private Shot screenshot(String name, Predicate<Card> stable) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Card before = card();
            Rectangle statusRect = driver.findElement(By.cssSelector("#app-app1 .status")).getRect();
            File raw = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Card after = card();
            Rectangle statusAfter = driver.findElement(By.cssSelector("#app-app1 .status")).getRect();
            if (before != null && stable.test(before) && before.drawnSameAs(after) && statusRect.equals(statusAfter)) {
                Path file = tmp.resolve("dashboard-" + name + ".png");
                Files.copy(raw.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
                BufferedImage image = ImageIO.read(file.toFile());
                assertThat(image).as("%s decodes as an image", file).isNotNull();
                System.out.println("DashboardIT: screenshot " + file);
                return new Shot(image, file, after, statusRect);
            }
            assertThat(attempt).as("a screenshot of a page that stays as expected (last read: %s)", after).isLessThan(10);
        }
    }

    // ---- what the screenshot shows ----

    /**
     * The screenshot is the whole viewport of the 1280x900 window, one device pixel per CSS pixel. (Headless Chromium
     * keeps room for a browser's toolbars it does not draw: the viewport is that window's width, and less than its height.)
     */
    private static void assertDrawn(Shot s) {
        Card c = s.card();
        assertThat(c.updated()).as("the header's line: the last refresh reached the API").startsWith("updated ");
        assertThat(c.dpr()).as("devicePixelRatio").isEqualTo(1.0);
        assertThat(c.outerWidth()).as("window width").isEqualTo(WIDTH);
        assertThat(c.outerHeight()).as("window height").isEqualTo(HEIGHT);
        assertThat(c.innerWidth()).as("viewport width").isEqualTo(WIDTH);
        assertThat(c.innerHeight()).as("viewport height").isBetween(HEIGHT / 2, HEIGHT);
        assertThat(s.image().getWidth()).as("screenshot width of %s", s.file()).isEqualTo(c.innerWidth());
        assertThat(s.image().getHeight()).as("screenshot height of %s", s.file()).isEqualTo(c.innerHeight());
        for (ServerBox b : c.servers()) {
            assertThat(b.box().y() + b.box().height()).as("%s's box is inside the viewport", b.name()).isLessThanOrEqualTo(c.innerHeight());
        }
    }

    private static double share(Shot s, Rectangle r, int rgb) {
        return share(s.image(), r.getX(), r.getY(), r.getWidth(), r.getHeight(), rgb);
    }

    private static double share(Shot s, Box b, int rgb) {
        return share(s.image(), b.x(), b.y(), b.width(), b.height(), rgb);
    }

    /** The share of the pixels inside the rectangle (CSS pixels, devicePixelRatio 1) within a small tolerance of {@code rgb}. */
    private static double share(BufferedImage img, double x, double y, double w, double h, int rgb) {
        int x0 = (int) Math.ceil(x), y0 = (int) Math.ceil(y);
        int x1 = Math.min(img.getWidth(), (int) Math.floor(x + w)), y1 = Math.min(img.getHeight(), (int) Math.floor(y + h));
        assertThat(x1 > x0 && y1 > y0).as("a rectangle %s,%s %sx%s inside the %dx%d screenshot", x, y, w, h, img.getWidth(), img.getHeight()).isTrue();
        int matching = 0;
        for (int py = y0; py < y1; py++) {
            for (int px = x0; px < x1; px++) {
                if (close(img.getRGB(px, py), rgb)) matching++;
            }
        }
        return (double) matching / ((x1 - x0) * (y1 - y0));
    }

    private static boolean close(int argb, int rgb) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((argb >> shift) & 0xff) - ((rgb >> shift) & 0xff)) > 6) return false;
        }
        return true;
    }
}
