package org.mha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The parser against generated configs: odd but valid spelling parses to the written values; any one bad line is found. */
class ConfigPropertyTest {

    record Server(int number, String host, int port, boolean candidate, String password) {}

    record Spelling(String beforeEq, String afterEq, String quote, boolean comment) {}

    record Generated(String userPassword, int pingInterval, List<Server> servers, List<Spelling> spellings) {

        /** Renders the config; every key=value line takes the next spelling (cyclic) so spacing/quoting vary line by line. */
        List<String> lines() {
            List<String> out = new ArrayList<>();
            int[] k = {0};
            out.add("[server default]");
            out.add(kv("user", "mha", k));
            out.add(kv("password", userPassword, k));
            out.add(kv("ping_interval", Integer.toString(pingInterval), k));
            for (Server s : servers) {
                out.add("[server" + s.number() + "]");
                out.add(kv("hostname", s.host(), k));
                out.add(kv("port", Integer.toString(s.port()), k));
                out.add(kv("candidate_master", s.candidate() ? "1" : "0", k));
                out.add(kv("repl_password", s.password(), k));
            }
            return out;
        }

        private String kv(String key, String value, int[] k) {
            Spelling sp = spellings.get(k[0]++ % spellings.size());
            String line = key + sp.beforeEq() + "=" + sp.afterEq() + sp.quote() + value + sp.quote();
            return sp.comment() ? "# a comment = with an equals sign\n" + line : line;
        }
    }

    @Provide
    Arbitrary<Generated> configs() {
        Arbitrary<String> secret = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(12).ofMaxLength(20).map(s -> "S" + s);
        Arbitrary<Spelling> spelling = Combinators.combine(Arbitraries.of("", " ", "  ", "\t"), Arbitraries.of("", " ", "\t "),
                Arbitraries.of("", "\"", "'"), Arbitraries.of(false, false, true)).as(Spelling::new);
        Arbitrary<List<Server>> servers = Arbitraries.integers().between(1, 6).flatMap(n -> {
            Arbitrary<List<Integer>> numbers = Arbitraries.integers().between(1, 99).set().ofSize(n).map(List::copyOf);
            Arbitrary<List<Integer>> ports = Arbitraries.integers().between(1, 65535).set().ofSize(n).map(List::copyOf);
            return Combinators.combine(numbers, ports, Arbitraries.of(true, false).list().ofSize(n), secret.list().ofSize(n))
                    .as((nums, ps, cands, pws) -> {
                        List<Server> out = new ArrayList<>();
                        for (int i = 0; i < n; i++) out.add(new Server(nums.get(i), "10.0.0." + (i + 1), ps.get(i), cands.get(i), pws.get(i)));
                        return out;
                    });
        });
        return Combinators.combine(secret, Arbitraries.integers().between(1, 60), servers, spelling.list().ofMinSize(1).ofMaxSize(8))
                .as(Generated::new);
    }

    private static Path write(List<String> lines) {
        try {
            Path dir = Files.createTempDirectory("mha4j-prop");
            Files.writeString(dir.resolve("global.cnf"), "");
            return Files.writeString(dir.resolve("app1.conf"), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AppConfig load(Path f) {
        return ConfigLoader.load(f, f.resolveSibling("global.cnf"));
    }

    @Property(tries = 200)
    void validConfigsParseToTheWrittenValues(@ForAll("configs") Generated g) {
        AppConfig app = load(write(g.lines()));
        List<Server> sorted = g.servers().stream().sorted((a, b) -> Integer.compare(a.number(), b.number())).toList();
        assertThat(app.servers()).hasSameSizeAs(sorted);
        for (int i = 0; i < sorted.size(); i++) {
            ServerConfig s = app.servers().get(i);
            Server want = sorted.get(i);
            assertThat(s.block()).isEqualTo("server" + want.number());
            assertThat(s.hostname()).isEqualTo(want.host());
            assertThat(s.port()).isEqualTo(want.port());
            assertThat(s.candidateMaster()).isEqualTo(want.candidate());
            assertThat(s.replPassword().orElseThrow().reveal()).isEqualTo(want.password());
            assertThat(s.password().reveal()).isEqualTo(g.userPassword());
            assertThat(s.pingInterval()).isEqualTo(g.pingInterval());
        }
    }

    @Property(tries = 200)
    void oneBadLineIsReportedAtExactlyThatLine(@ForAll("configs") Generated g, @ForAll @IntRange(min = 0, max = 1000) int where,
                                               @ForAll("corruptions") String bad) {
        List<String> lines = new ArrayList<>(String.join("\n", g.lines()).lines().toList());
        int at = 1 + where % lines.size();  // after the first header, so the line is inside a block
        lines.add(at, bad);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(write(lines)));
        assertThat(e).as("config with %s at line %d", bad, at + 1).isNotNull();
        assertThat(e.line()).isEqualTo(at + 1);
        assertThat(e.file().getFileName().toString()).isEqualTo("app1.conf");
        assertThat(e.getMessage()).doesNotContain(g.userPassword());
    }

    @Provide
    Arbitrary<String> corruptions() {
        return Arbitraries.of("pasword=x", "port=33o6", "ping_interval=-1", "ping_type=icmp", "no equals sign here",
                "candidate_master=perhaps", "ssh_port=70000", "sem_sync=on");
    }

    @Property(tries = 100)
    void passwordsNeverLeak(@ForAll("configs") Generated g) {
        AppConfig app = load(write(g.lines()));
        String shown = app.describe() + app + app.servers();
        assertThat(shown).doesNotContain(g.userPassword());
        g.servers().forEach(s -> assertThat(shown).doesNotContain(s.password()));
    }

}
