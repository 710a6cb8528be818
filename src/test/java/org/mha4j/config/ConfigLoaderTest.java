package org.mha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private AppConfig load(String text) throws IOException {
        return ConfigLoader.load(write("app1.conf", text), missingDefault());
    }

    /** An empty global file: tests must not depend on the machine's /etc/masterha_default.cnf. */
    private Path missingDefault() throws IOException {
        return write("global.cnf", "");
    }

    private Path missingDefaultQuietly() {
        try {
            return missingDefault();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ConfigException error(String text) {
        return org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(text));
    }

    @Test
    void theSeedsAppConfParsesAsMhaWould() throws URISyntaxException {
        Path seed = Path.of(getClass().getResource("/seed/app1.conf").toURI());
        AppConfig app = ConfigLoader.load(seed, missingDefaultQuietly());
        assertThat(app.appName()).isEqualTo("app1");
        assertThat(app.servers()).extracting(ServerConfig::block).containsExactly("server1", "server2", "server3");
        ServerConfig s1 = app.servers().getFirst();
        assertThat(s1.hostname()).isEqualTo("10.1.1.10");
        assertThat(s1.port()).isEqualTo(3306);
        assertThat(s1.user()).isEqualTo("mha");
        assertThat(s1.password().reveal()).isEqualTo("123");
        assertThat(s1.replUser()).hasValue("slave");
        assertThat(s1.sshUser()).isEqualTo("admin");
        assertThat(s1.pingInterval()).isEqualTo(3);
        assertThat(s1.pingType()).isEqualTo(PingType.SELECT);
        assertThat(app.servers()).allMatch(ServerConfig::candidateMaster);
        assertThat(s1.masterIpFailoverScript()).hasValue("/etc/mha/master_ip_failover.sh 10.1.1.100 1");
        assertThat(s1.secondaryCheckScript()).hasValue("/usr/bin/masterha_secondary_check -s 10.1.1.20 -s 10.1.1.30"
                + " --user=admin --port=22 --master_host=10.1.1.10 --master_port=3306");
        assertThat(s1.masterIpOnlineChangeScript()).isEmpty();
        assertThat(s1.shutdownScript()).isEmpty();
        assertThat(s1.managerWorkdir()).isEqualTo("/data/mha/masterha/app1");
        assertThat(s1.masterBinlogDir()).isEqualTo("/usr/local/mysql/data");
        assertThat(s1.semiSync()).isEqualTo(SemiSyncMode.UNMANAGED);
        assertThat(app.describe()).doesNotContain("=123").contains("password=******").contains("repl_password=******");
    }

    @Test
    void globalDefaultsAreOverriddenByTheAppFileAndServerBlocks() throws IOException {
        Path global = write("masterha_default.cnf", "[server default]\nuser=globaluser\nping_interval=5\nssh_port=2222\n");
        Path app = write("app2.cnf", "[server default]\nuser=appuser\n[server1]\nhostname=h1\n[server2]\nhostname=h2\nssh_port=22\n");
        AppConfig c = ConfigLoader.load(app, global);
        assertThat(c.appName()).isEqualTo("app2");
        assertThat(c.globalFile()).hasValue(global);
        assertThat(c.first().user()).isEqualTo("appuser");
        assertThat(c.first().pingInterval()).isEqualTo(5);
        assertThat(c.first().sshPort()).isEqualTo(2222);
        assertThat(c.servers().get(1).sshPort()).isEqualTo(22);
    }

    /** Issue 15: MHA's templates write shutdown_script="" and report_script=""; MHA runs nothing, nor does MHA4J. */
    @Test
    void emptyHookValuesMeanNoHookAndOverrideTheGlobalOne() throws IOException {
        Path global = write("masterha_default.cnf", "[server default]\nreport_script=/usr/local/bin/send_report\n");
        Path app = write("app3.cnf", "[server default]\nshutdown_script=\"\"\nreport_script=\"\"\nmaster_ip_failover_script= \n"
                + "master_ip_online_change_script=''\nsecondary_check_script=\ninit_conf_load_script=\"\"\n[server1]\nhostname=h1\n[server2]\nhostname=h2\n");
        ServerConfig s = ConfigLoader.load(app, global).first();
        assertThat(s.shutdownScript()).isEmpty();
        assertThat(s.reportScript()).isEmpty();
        assertThat(s.masterIpFailoverScript()).isEmpty();
        assertThat(s.masterIpOnlineChangeScript()).isEmpty();
        assertThat(s.secondaryCheckScript()).isEmpty();
        assertThat(ConfigLoader.load(write("app4.cnf", "[server1]\nhostname=h1\n"), global).first().reportScript()).hasValue("/usr/local/bin/send_report");
    }

    @Test
    void anExplicitGlobalFileMustExist() throws IOException {
        Path app = write("app1.conf", "[server1]\nhostname=h1\n");
        assertThatThrownBy(() -> ConfigLoader.load(app, dir.resolve("nope.cnf")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("nope.cnf").hasMessageContaining("not found");
    }

    @Test
    void localKeysAreNotInherited() throws IOException {
        AppConfig c = load("[server default]\ncandidate_master=1\nno_master=1\nignore_fail=1\nport=3307\n[server1]\nhostname=h1\n");
        ServerConfig s = c.first();
        assertThat(s.candidateMaster()).isFalse();
        assertThat(s.noMaster()).isFalse();
        assertThat(s.ignoreFail()).isFalse();
        assertThat(s.port()).isEqualTo(3307);
    }

    @Test
    void serversAreSortedNumericallyWhenAllNamesHaveNumbers() throws IOException {
        AppConfig c = load("[server10]\nhostname=a\n[server2]\nhostname=b\n[server1]\nhostname=c\n");
        assertThat(c.servers()).extracting(ServerConfig::block).containsExactly("server1", "server2", "server10");
        AppConfig mixed = load("[serverb]\nhostname=a\n[server2]\nhostname=b\n[servera]\nhostname=c\n");
        assertThat(mixed.servers()).extracting(ServerConfig::block).containsExactly("server2", "servera", "serverb");
    }

    @Test
    void spacingQuotingAndCommentsAsConfigTiny() throws IOException {
        AppConfig c = load("  # comment\n; another\n[ server default ]\n  user =  'mon'  \nreport_script=/x.sh # not a comment\n"
                + "[server1]\nhostname=h1\nmaster_binlog_dir = /a, /b\n");
        assertThat(c.first().user()).isEqualTo("mon");
        assertThat(c.first().reportScript()).hasValue("/x.sh # not a comment");
        assertThat(c.first().masterBinlogDir()).isEqualTo("/a,/b");
    }

    @Test
    void unknownKeySuggestsTheClosest() {
        ConfigException e = error("[server default]\nuser=mha\npasword=x\n[server1]\nhostname=h\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.file().getFileName().toString()).isEqualTo("app1.conf");
        assertThat(e.getMessage()).endsWith("app1.conf:3: unknown parameter \"pasword\" — did you mean \"password\"?");
        assertThat(error("[server1]\nhostname=h\nping_intreval=3\n").getMessage()).contains("did you mean \"ping_interval\"?");
        assertThat(error("[server1]\nhostname=h\nfrobnicate=3\n").getMessage()).contains("docs/configuration.md");
    }

    @Test
    void badValuesNameFileAndLine() {
        assertThat(error("[server1]\nhostname=h\nport=33o6\n")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.reason()).isEqualTo("port must be a port number from 1 to 65535, not \"33o6\"");
        });
        assertThat(error("[server default]\nping_type=ICMP\n[server1]\nhostname=h\n").line()).isEqualTo(2);
        assertThat(error("[server default]\nping_interval=0\n[server1]\nhostname=h\n").reason()).contains("positive");
        assertThat(error("[server1]\nhostname=h\ncandidate_master=maybe\n").reason()).contains("0 or 1");
        assertThat(error("[server default]\nsemi_sync=sometimes\n[server1]\nhostname=h\n").reason()).contains("on, off or unmanaged");
    }

    @Test
    void structuralErrors() {
        assertThat(error("user=mha\n[server1]\nhostname=h\n")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.reason()).contains("outside any block");
        });
        assertThat(error("[server1]\nhostname h\n").line()).isEqualTo(2);
        assertThat(error("[server1]\nhostname=h\n[mysql]\nx=1\n")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.reason()).contains("block name [mysql] is invalid");
        });
        assertThat(error("[server1]\nport=3306\n")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.reason()).contains("[server1] has no hostname");
        });
        assertThat(error("[server default]\nuser=x\n").reason()).contains("no [serverN] block");
        assertThat(error("[server1]\nhostname=h\n[server2]\nhostname=h\n")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.reason()).contains("[server2] and [server1] (line 1) have the same address h:3306");
        });
        assertThat(error("[server1]\nhostname=a\n[server1]\nhostname=b\n").reason()).contains("appears twice");
        assertThat(error("[server1]\nhostname=a\nport=1\nport=2\n")).satisfies(e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.reason()).isEqualTo("port is set twice in [server1] (lines 3 and 4): keep one");
        });
    }

    /** MHA acts on a binlog server block (its GTID failover fetches events there) and MHA4J cannot: refused, not ignored. */
    @Test
    void aBinlogServerBlockIsRefusedWithItsLine() {
        assertThatThrownBy(() -> load("[server1]\nhostname=h1\n[binlog1]\nhostname=b1\nmaster_binlog_dir=/binlogs\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.reason()).startsWith("[binlog1] is a binlog server").contains("remove the block");
                });
    }

    @Test
    void initConfLoadScriptOverridesAppDefaults() throws IOException {
        Path script = write("load.sh", "#!/bin/sh\necho password=fromvault\necho ping_interval=7\n");
        script.toFile().setExecutable(true);
        AppConfig c = load("[server default]\npassword=inline\ninit_conf_load_script=" + script + "\n[server1]\nhostname=h1\n");
        assertThat(c.first().password().reveal()).isEqualTo("fromvault");
        assertThat(c.first().pingInterval()).isEqualTo(7);
        Path bad = write("bad.sh", "#!/bin/sh\necho pasword=x\n");
        bad.toFile().setExecutable(true);
        assertThat(error("[server default]\ninit_conf_load_script=" + bad + "\n[server1]\nhostname=h1\n").reason())
                .contains("init_conf_load_script's output").contains("did you mean \"password\"");
    }

    @Test
    void passwordsNeverShowInToStringOrDescribe() throws IOException {
        AppConfig c = load("[server default]\npassword=Sup3rS3cret\nrepl_password=R3plS3cret\n[server1]\nhostname=h1\n");
        assertThat(c.toString()).doesNotContain("Sup3rS3cret").doesNotContain("R3plS3cret");
        assertThat(c.first().toString()).doesNotContain("Sup3rS3cret");
        assertThat(c.first().password().toString()).isEqualTo("******");
        assertThat(c.describe()).doesNotContain("Sup3rS3cret").doesNotContain("R3plS3cret");
    }

    @Test
    void editorRemovesAndAddsBlocksKeepingEverythingElse() throws IOException {
        String original = "[server default]\n# keep me\nuser=mha\n\n[server1]\nhostname=h1\n[server2]\nhostname=h2\n# trailing comment\n";
        Path f = write("edit.conf", original);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("hostname", "h3");
        params.put("candidate_master", "1");
        ConfigEditor.addBlock(f, "server3", params);
        assertThat(ConfigLoader.load(f, missingDefault()).servers()).extracting(ServerConfig::block).containsExactly("server1", "server2", "server3");
        ConfigEditor.removeBlock(f, "server3");
        assertThat(Files.readString(f)).isEqualTo(original);
        ConfigEditor.removeBlock(f, "server1");
        assertThat(Files.readString(f)).isEqualTo("[server default]\n# keep me\nuser=mha\n\n[server2]\nhostname=h2\n# trailing comment\n");
        assertThatThrownBy(() -> ConfigEditor.removeBlock(f, "server9")).hasMessageContaining("no block [server9]");
        assertThatThrownBy(() -> ConfigEditor.addBlock(f, "server4", Map.of("hostnme", "x"))).hasMessageContaining("did you mean \"hostname\"");
    }

    @Test
    void safetyKeysAreReadIntoTheirTypesAndOutOfRangeNumbersAreErrorsWithTheirLine() throws IOException {
        AppConfig app = load("[server default]\nsemi_sync_timeout=infinite\nfence=shutdown\n[server1]\nhostname=h1\n");
        assertThat(app.first().semiSyncTimeoutMs()).isEqualTo(ServerConfig.SEMI_SYNC_TIMEOUT_INFINITE_MS);
        assertThat(app.first().fence()).isEqualTo(Fence.SHUTDOWN);
        assertThat(load("[server1]\nhostname=h1\n").first().fence()).isEqualTo(Fence.READ_ONLY);

        assertThat(error("[server default]\nsemi_sync_timeout=4294967296\n[server1]\nhostname=h1\n").getMessage())
                .contains("app1.conf:2").contains("semi_sync_timeout must be milliseconds from 1 to 4294967295, or infinite");
        assertThat(error("[server default]\nssh_connection_timeout=2147483648\n[server1]\nhostname=h1\n").getMessage())
                .contains("app1.conf:2").contains("positive whole number up to 2147483647");
        assertThat(error("[server default]\nfence=stonith\n[server1]\nhostname=h1\n").getMessage())
                .contains("fence must be read_only, shutdown or none");
    }

    /** Issue 13: bad files are errors that say what is wrong with them, and never read for ever or leak a password. */
    @Test
    void unreadableNonUtf8PipeDirectoryAndEmptyNamesAreClearErrors() throws Exception {
        Path latin1 = dir.resolve("latin1.conf");
        Files.write(latin1, "[server1]\nhostname=h1\n# caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.load(latin1, missingDefault())))
                .hasMessageContaining("latin1.conf:3").hasMessageContaining("is not UTF-8 (byte 0xE9 at column 6)");

        Path bom = write("bom.conf", "\uFEFF[server1]\nhostname=h1\n");
        assertThat(ConfigLoader.load(bom, missingDefault()).servers()).hasSize(1);

        assertThat(org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, missingDefault())))
                .hasMessageContaining("is a directory");
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of(""), missingDefault())))
                .hasMessageContaining("no file name given");
        Path fifo = dir.resolve("pipe.conf");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ConfigLoader.load(fifo, missingDefault())))
                .hasMessageContaining("is not a regular file");

        assertThat(error("[server default]\npassword s3cret\n[server1]\nhostname=h1\n").getMessage())
                .contains(":2: cannot parse this line (not shown: it may hold a secret)").doesNotContain("s3cret");
    }

    @Test
    void coordinationIsAZooKeeperUrlOrAnErrorNamingFileAndLine() throws IOException {
        ServerConfig s = load("[server default]\ncoordination=zookeeper://zk1:2181,zk2:2181,zk3:2181/mha4j\n[server1]\nhostname=h1\n").first();
        assertThat(s.coordination()).hasValue("zookeeper://zk1:2181,zk2:2181,zk3:2181/mha4j");
        assertThat(s.coordinationSessionTimeout()).hasSeconds(6);
        assertThat(load("[server1]\nhostname=h1\n").first().coordination()).isEmpty();
        for (String bad : new String[]{"zk1:2181", "zookeeper://zk1", "zookeeper://zk1:2181;rm -rf /", "etcd://e1:2379"}) {
            assertThatThrownBy(() -> load("[server default]\ncoordination=" + bad + "\n[server1]\nhostname=h1\n"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("app1.conf:2: ")
                    .hasMessageContaining("coordination must be zookeeper://");
        }
    }
}
