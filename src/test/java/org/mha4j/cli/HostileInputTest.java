package org.mha4j.cli;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mha4j.testing.Cli;

/**
 * Hostile input, table-driven: malformed configuration files and bad command lines for every MHA-compatible command.
 * Each must end with a non-zero exit code and one clear line naming the file and line (configs) or the option
 * (command lines), with no stack trace, no password, and within a bound. Every server is 127.0.0.x on the closed port 1,
 * every file is in a temporary directory: nothing can reach or change a real server.
 *
 * <p>Deliberate exceptions, where the product follows MHA: options the {@code masterha_*} commands do not know are
 * ignored with a warning (MHA's Getopt pass-through); those cases ({@link Kind#WARN}) check the warning names the option
 * and do not check the exit code. A UTF-8 byte-order mark, CRLF line ends, {@code candidate_master=yes} and an empty
 * {@code repl_password=} are valid ({@link Expect#ACCEPT}).
 */
class HostileInputTest {
    private static final String SECRET = "s3cretPW";
    private static final Duration BOUND = Duration.ofSeconds(20);
    /** An error line longer than this is not "one clear line" (e.g. a 1 MB value echoed back). */
    private static final int MAX_ERROR_LINE = 1000;
    private static final Pattern STACK_TRACE = Pattern.compile(
            "Exception in |\\tat |\\bjava\\.lang\\.|\\b(?:java|javax|jdk|sun|picocli|org\\.mha4j)\\.[\\w.$]*(?:Exception|Error)\\b");
    private static final String LONG = "a".repeat(100_000);
    private static final String LONG_DIGITS = "9".repeat(100_000);
    private static final String MB = "A".repeat(1 << 20);

    private static InputStream stdin;

    @TempDir
    Path dir;
    private Path conf;

    @BeforeAll
    static void emptyStdin() {
        // a command that asks "Proceed? (yes/NO)" reads an empty stdin and gets "no", instead of blocking the test run
        stdin = System.in;
        System.setIn(new ByteArrayInputStream(new byte[0]));
    }

    @AfterAll
    static void restoreStdin() {
        System.setIn(stdin);
    }

    @BeforeEach
    void files() throws IOException {
        conf = dir.resolve("app1.conf");
        Files.writeString(conf, std("", "", "").replace("@DIR@", dir.toString()));
        Files.writeString(dir.resolve("g.cnf"), "");
        Files.writeString(dir.resolve("afile"), "a regular file\n");
        Files.createDirectories(dir.resolve("work"));
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Configuration files

    /** A valid three-server config, with extra lines in [server default], in [server1], and at the end. */
    static String std(String defaults, String server1, String tail) {
        StringBuilder sb = new StringBuilder("# app1: MHA application config written by HostileInputTest\n"
                + "[server default]\nuser=root\npassword=s3cretPW\nrepl_user=repl\nrepl_password=s3cretPW\nssh_port=1\n"
                + "manager_workdir=@DIR@/work\nremote_workdir=/tmp\n");
        lines(sb, defaults);
        sb.append("[server1]\nhostname=127.0.0.1\nport=1\n");
        lines(sb, server1);
        sb.append("[server2]\nhostname=127.0.0.2\nport=1\n[server3]\nhostname=127.0.0.3\nport=1\n");
        lines(sb, tail);
        return sb.toString();
    }

    private static void lines(StringBuilder sb, String extra) {
        if (!extra.isEmpty()) sb.append(extra).append(extra.endsWith("\n") ? "" : "\n");
    }

    static String def(String extra) {
        return std(extra, "", "");
    }

    static String s1(String extra) {
        return std("", extra, "");
    }

    static String tail(String extra) {
        return std("", "", extra);
    }

    enum Cmd {
        SHOW("config", "show"), REPL("masterha_check_repl"), SSH("masterha_check_ssh"), MANAGER("masterha_manager"),
        STATUS("masterha_check_status"), STOP("masterha_stop"), MONITOR("masterha_master_monitor"),
        SWITCH("masterha_master_switch", "--master_state=alive", "--interactive=0"), SEMI("semisync", "status");

        final List<String> words;

        Cmd(String... words) {
            this.words = List.of(words);
        }
    }

    enum Expect { REFUSE, ACCEPT }

    /** One hostile config. Placeholders: @DIR@ the temp dir; «xHH» a raw byte. */
    static final class ConfCase {
        final String name;
        final String text;
        Cmd cmd = Cmd.SHOW;
        Expect expect = Expect.REFUSE;
        String global = "";
        boolean culpritInGlobal;
        String culprit;
        int occurrence = 1;
        int line = -1;
        List<String> names;
        List<String> keywords = List.of();
        List<String> forbidden = List.of();
        Function<Path, String> confArg;
        Function<Path, String> globalArg;
        Setup setup;
        List<String> mustShow = List.of();

        ConfCase(String name, String text) {
            this.name = name;
            this.text = text;
        }

        ConfCase cmd(Cmd c) { cmd = c; return this; }
        /** The error must point at the line equal to (else containing) this text. */
        ConfCase at(String c) { culprit = c; return this; }
        ConfCase at(String c, int nth) { culprit = c; occurrence = nth; return this; }
        ConfCase atLine(int n) { line = n; return this; }
        /** A problem of the whole file: it must be named, with one of these words on the same line if given. */
        ConfCase fileLevel(String... words) { line = 0; keywords = List.of(words); return this; }
        ConfCase global(String g) { global = g; return this; }
        ConfCase inGlobal(String c) { culpritInGlobal = true; culprit = c; return this; }
        ConfCase names(String... n) { names = List.of(n); return this; }
        ConfCase forbid(String... f) { forbidden = List.of(f); return this; }
        ConfCase conf(Function<Path, String> f) { confArg = f; return this; }
        ConfCase globalArg(Function<Path, String> f) { globalArg = f; return this; }
        ConfCase setup(Setup s) { setup = s; return this; }
        ConfCase accepted(String... shown) { expect = Expect.ACCEPT; mustShow = List.of(shown); return this; }

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Setup {
        void prepare(Path dir) throws Exception;
    }

    static ConfCase c(String name, String text) {
        return new ConfCase(name, text);
    }

    static Stream<Arguments> configs() {
        List<ConfCase> l = new ArrayList<>();
        // --- numbers: port (PORT)
        l.add(c("port_non_numeric", def("port=abc")).at("port=abc"));
        l.add(c("port_negative", def("port=-1")).at("port=-1").cmd(Cmd.REPL));
        l.add(c("port_zero", def("port=0")).at("port=0").cmd(Cmd.MANAGER));
        l.add(c("port_65536", def("port=65536")).at("port=65536"));
        l.add(c("port_above_int_max", def("port=2147483648")).at("port=2147483648").cmd(Cmd.STATUS));
        l.add(c("port_above_long_max", def("port=99999999999999999999")).at("port=99999999999999999999"));
        l.add(c("port_quoted_leading_space", def("port=\" 27002\"")).at("port=\" 27002\""));
        l.add(c("port_empty", def("port=")).at("port=").cmd(Cmd.STOP));
        l.add(c("port_trailing_comment", def("port=3306 # mysql")).at("port=3306 # mysql").cmd(Cmd.REPL));
        l.add(c("port_fullwidth_digits", def("port=\uFF13\uFF13\uFF10\uFF16")).at("port=\uFF13\uFF13\uFF10\uFF16"));
        l.add(c("port_hex", def("port=0x10")).at("port=0x10"));
        l.add(c("port_decimal", def("port=3306.0")).at("port=3306.0").cmd(Cmd.MONITOR));
        // --- ssh_port (PORT), overridden in [server1]
        l.add(c("ssh_port_non_numeric", s1("ssh_port=abc")).at("ssh_port=abc").cmd(Cmd.SSH));
        l.add(c("ssh_port_negative", s1("ssh_port=-22")).at("ssh_port=-22"));
        l.add(c("ssh_port_zero", s1("ssh_port=0")).at("ssh_port=0").cmd(Cmd.SSH));
        l.add(c("ssh_port_99999", s1("ssh_port=99999")).at("ssh_port=99999"));
        l.add(c("ssh_port_above_int_max", s1("ssh_port=2147483648")).at("ssh_port=2147483648"));
        // --- ping_interval (POSITIVE)
        l.add(c("ping_interval_non_numeric", def("ping_interval=abc")).at("ping_interval=abc").cmd(Cmd.MANAGER));
        l.add(c("ping_interval_negative", def("ping_interval=-1")).at("ping_interval=-1"));
        l.add(c("ping_interval_zero", def("ping_interval=0")).at("ping_interval=0").cmd(Cmd.MONITOR));
        l.add(c("ping_interval_above_int_max", def("ping_interval=2147483648")).at("ping_interval=2147483648").cmd(Cmd.STATUS));
        l.add(c("ping_interval_above_long_max", def("ping_interval=99999999999999999999")).at("ping_interval=99999999999999999999"));
        l.add(c("ping_interval_quoted_trailing_space", def("ping_interval='2 '")).at("ping_interval='2 '"));
        l.add(c("ping_interval_decimal", def("ping_interval=1.5")).at("ping_interval=1.5"));
        l.add(c("ping_interval_empty", def("ping_interval=")).at("ping_interval="));
        l.add(c("ping_interval_arabic_indic_digit", def("ping_interval=\u0663")).at("ping_interval=\u0663"));
        l.add(c("ping_interval_minus_zero", def("ping_interval=-0")).at("ping_interval=-0").cmd(Cmd.SWITCH));
        // --- ssh_connection_timeout (POSITIVE)
        l.add(c("ssh_connection_timeout_non_numeric", def("ssh_connection_timeout=abc")).at("ssh_connection_timeout=abc").cmd(Cmd.SSH));
        l.add(c("ssh_connection_timeout_zero", def("ssh_connection_timeout=0")).at("ssh_connection_timeout=0"));
        l.add(c("ssh_connection_timeout_negative", def("ssh_connection_timeout=-5")).at("ssh_connection_timeout=-5"));
        l.add(c("ssh_connection_timeout_above_int_max", def("ssh_connection_timeout=2147483648")).at("ssh_connection_timeout=2147483648"));
        // --- semi_sync_timeout
        l.add(c("semi_sync_timeout_non_numeric", def("semi_sync_timeout=abc")).at("semi_sync_timeout=abc").cmd(Cmd.SEMI));
        l.add(c("semi_sync_timeout_zero", def("semi_sync_timeout=0")).at("semi_sync_timeout=0"));
        l.add(c("semi_sync_timeout_negative", def("semi_sync_timeout=-1")).at("semi_sync_timeout=-1"));
        l.add(c("semi_sync_timeout_above_max", def("semi_sync_timeout=4294967296")).at("semi_sync_timeout=4294967296"));
        l.add(c("semi_sync_timeout_infinity_typo", def("semi_sync_timeout=infinity")).at("semi_sync_timeout=infinity"));
        // --- a command-line setting written into the config: an unknown key (MHA refuses unknown keys as well)
        l.add(c("last_failover_minute_in_config", def("last_failover_minute=-1")).at("last_failover_minute=-1"));
        // --- booleans and enumerations
        l.add(c("candidate_master_2", s1("candidate_master=2")).at("candidate_master=2"));
        l.add(c("candidate_master_yes_is_accepted", s1("candidate_master=yes")).accepted("candidate_master=yes"));
        l.add(c("no_master_maybe", s1("no_master=maybe")).at("no_master=maybe").cmd(Cmd.REPL));
        l.add(c("ignore_fail_minus_1", s1("ignore_fail=-1")).at("ignore_fail=-1"));
        l.add(c("check_repl_delay_2", def("check_repl_delay=2")).at("check_repl_delay=2"));
        l.add(c("skip_reset_slave_none", def("skip_reset_slave=none")).at("skip_reset_slave=none"));
        l.add(c("ping_type_FOO", def("ping_type=FOO")).at("ping_type=FOO").cmd(Cmd.MANAGER));
        l.add(c("ping_type_empty", def("ping_type=")).at("ping_type="));
        l.add(c("log_level_verbose", def("log_level=verbose")).at("log_level=verbose"));
        l.add(c("semi_sync_maybe", def("semi_sync=maybe")).at("semi_sync=maybe").cmd(Cmd.SEMI));
        l.add(c("fence_kill", def("fence=kill")).at("fence=kill"));
        l.add(c("detection_slow", def("detection=slow")).at("detection=slow"));
        l.add(c("hook_password_mode_stdin", def("hook_password_mode=stdin")).at("hook_password_mode=stdin"));
        // --- quotes
        l.add(c("unterminated_double_quote", def("master_ip_failover_script=\"/usr/local/bin/ip_failover --vip=10.0.0.1"))
                .at("master_ip_failover_script=\"/usr/local/bin/ip_failover --vip=10.0.0.1"));
        l.add(c("unterminated_single_quote_in_password", s1("password='s3cretPW")).at("password='s3cretPW"));
        l.add(c("mismatched_quotes_hostname", tail("[server4]\nhostname=\"127.0.0.4'\nport=1")).at("hostname=\"127.0.0.4'"));
        // --- duplicates
        l.add(c("duplicate_key_same_block", def("ping_interval=3\nping_interval=4")).at("ping_interval=4").cmd(Cmd.SWITCH));
        l.add(c("duplicate_password_key", def("password=other")).at("password=other"));
        l.add(c("duplicate_section", tail("[server1]\nhostname=127.0.0.9\nport=1")).at("[server1]", 2).cmd(Cmd.REPL));
        l.add(c("duplicate_server_default", tail("[server default]\nping_interval=3")).at("[server default]", 2));
        l.add(c("section_name_case_variant", tail("[Server4]\nhostname=127.0.0.4\nport=1")).at("[Server4]"));
        // --- keys
        l.add(c("unknown_key", def("frobnicate=1")).at("frobnicate=1"));
        l.add(c("misspelt_password_key", def("pasword=s3cretPW")).at("pasword=s3cretPW"));
        l.add(c("key_with_space", def("ping interval=3")).at("ping interval=3"));
        l.add(c("upper_case_key", def("PING_INTERVAL=3")).at("PING_INTERVAL=3"));
        l.add(c("key_outside_any_block", "ping_interval=3\n" + std("", "", "")).atLine(1));
        l.add(c("value_without_key", def("=s3cretPW")).at("=s3cretPW"));
        // --- section headers
        l.add(c("header_without_closing_bracket", tail("[server4\nhostname=127.0.0.4\nport=1")).at("[server4").cmd(Cmd.REPL));
        l.add(c("header_without_bracket_with_password", tail("[server4 password=s3cretPW")).at("[server4 password=s3cretPW"));
        l.add(c("empty_header", tail("[]")).at("[]"));
        l.add(c("blank_header", tail("[ ]\nhostname=127.0.0.4")).at("[ ]"));
        l.add(c("server_without_suffix", tail("[server]\nhostname=127.0.0.4\nport=1")).at("[server]"));
        l.add(c("header_with_space", tail("[server 4]\nhostname=127.0.0.4\nport=1")).at("[server 4]"));
        l.add(c("mysqld_section", tail("[mysqld]\nport=3306")).at("[mysqld]"));
        l.add(c("binlog1_section_refused_at_start", tail("[binlog1]\nhostname=127.0.0.9\nport=1")).at("[binlog1]").cmd(Cmd.REPL));
        l.add(c("binlog1_without_hostname", tail("[binlog1]\nport=1")).at("[binlog1]"));
        // --- hostnames
        l.add(c("empty_hostname", tail("[server4]\nhostname=\nport=1")).at("[server4]"));
        l.add(c("hostname_only_spaces", tail("[server4]\nhostname=   \nport=1")).at("[server4]"));
        l.add(c("hostname_with_space", tail("[server4]\nhostname=127.0.0.4 evil\nport=1")).at("hostname=127.0.0.4 evil"));
        l.add(c("hostname_with_shell_metacharacters", tail("[server4]\nhostname=127.0.0.4;touch /tmp/pwned\nport=1"))
                .at("hostname=127.0.0.4;touch /tmp/pwned"));
        l.add(c("hostname_continued_on_next_line", tail("[server4]\nhostname=127.0.0.4\nevil.example.com\nport=1")).at("evil.example.com"));
        l.add(c("hostname_1MB", tail("[server4]\nhostname=" + MB + "\nport=1")).at("hostname=" + MB.substring(0, 10)));
        // --- passwords
        l.add(c("line_without_equals_password", s1("password s3cretPW")).at("password s3cretPW"));
        l.add(c("password_value_on_its_own_line", s1("password=\ns3cretPW")).at("s3cretPW"));
        l.add(c("password_key_without_equals_or_value", s1("password")).at("password").cmd(Cmd.REPL));
        l.add(c("repl_password_empty_is_accepted", s1("repl_password=")).accepted("repl_password=(empty)"));
        // --- encodings and bytes
        l.add(c("non_utf8_byte_in_hostname", tail("[server4]\nhostname=127.0.0.4\u00ABxFF\u00BB\nport=1")).at("hostname=127.0.0.4"));
        l.add(c("non_utf8_byte_in_password", s1("password=s3cret\u00ABxE9\u00BBPW")).at("password=s3cret\u00ABxE9").forbid("s3cret").cmd(Cmd.REPL));
        l.add(c("utf8_bom_at_start_is_accepted", "\uFEFF" + std("", "", "").substring(std("", "", "").indexOf('\n') + 1))
                .accepted("[server1]", "hostname=127.0.0.1"));
        l.add(c("utf8_bom_and_crlf_are_accepted", ("\uFEFF" + std("", "", "")).replace("\n", "\r\n"))
                .accepted("[server1]", "hostname=127.0.0.3"));
        l.add(c("bom_in_the_middle", tail("\uFEFF[server4]\nhostname=127.0.0.4\nport=1")).at("\uFEFF[server4]"));
        l.add(c("nul_byte_in_value", def("ping_interval=3\u0000")).at("ping_interval=3"));
        l.add(c("huge_line_without_equals_1MB", def(MB)).at(MB));
        // --- whole-file problems
        l.add(c("no_server_sections", "[server default]\nuser=root\npassword=s3cretPW\nmanager_workdir=@DIR@/work\n").fileLevel("server"));
        l.add(c("empty_file", "").fileLevel("server").cmd(Cmd.MANAGER));
        l.add(c("only_comments", "# nothing here\n; password=s3cretPW\n").fileLevel("server"));
        l.add(c("only_one_server", "[server default]\npassword=s3cretPW\nmanager_workdir=@DIR@/work\nssh_port=1\n[server1]\nhostname=127.0.0.1\nport=1\n")
                .fileLevel("replica", "slave", "one server", "only one", "second server", "two servers").cmd(Cmd.REPL));
        l.add(c("two_servers_same_host_port", tail("[server4]\nhostname=127.0.0.1\nport=1")).at("[server4]"));
        l.add(c("two_servers_same_address_via_ip", tail("[server4]\nhostname=db4\nip=127.0.0.1\nport=1")).at("[server4]"));
        l.add(c("two_servers_same_port_with_leading_zero", tail("[server4]\nhostname=127.0.0.1\nport=01")).at("[server4]"));
        // names are not resolved when the config is read (a host may resolve differently on the manager's host later):
        // the same server under two names is not detected, as in MHA
        l.add(c("two_servers_same_host_by_another_name_is_accepted", tail("[server4]\nhostname=localhost\nport=1")).accepted("hostname=localhost"));
        // --- paths and files the config names
        l.add(c("manager_workdir_is_a_regular_file", s1("manager_workdir=@DIR@/afile")).at("manager_workdir=@DIR@/afile").cmd(Cmd.MANAGER));
        l.add(c("manager_workdir_is_a_regular_file_status", s1("manager_workdir=@DIR@/afile")).at("manager_workdir=@DIR@/afile").cmd(Cmd.STATUS));
        l.add(c("manager_workdir_cannot_be_created", s1("manager_workdir=@DIR@/afile/sub")).at("manager_workdir=@DIR@/afile/sub").cmd(Cmd.MANAGER));
        l.add(c("manager_workdir_cannot_be_created_switch", s1("manager_workdir=@DIR@/afile/sub")).at("manager_workdir=@DIR@/afile/sub").cmd(Cmd.SWITCH));
        l.add(c("manager_log_cannot_be_created", def("manager_log=@DIR@/afile/manager.log")).at("manager_log=@DIR@/afile/manager.log").cmd(Cmd.MANAGER));
        l.add(c("master_binlog_dir_relative", def("master_binlog_dir=binlogs")).at("master_binlog_dir=binlogs"));
        l.add(c("master_binlog_dir_shell_metacharacters", def("master_binlog_dir=/var/lib/mysql;touch /tmp/pwned"))
                .at("master_binlog_dir=/var/lib/mysql;touch /tmp/pwned"));
        l.add(c("remote_workdir_relative", s1("remote_workdir=tmp")).at("remote_workdir=tmp"));
        l.add(c("vip_octet_above_255", def("vip=10.0.0.300/24")).at("vip=10.0.0.300/24"));
        l.add(c("vip_without_prefix", def("vip=10.0.0.100")).at("vip=10.0.0.100").cmd(Cmd.MANAGER));
        l.add(c("vip_interface_with_space", def("vip_interface=eth0 up")).at("vip_interface=eth0 up"));
        l.add(c("ssh_options_unbalanced_quote", def("ssh_options=-o \"ProxyCommand=nc %h %p")).at("ssh_options=-o \"ProxyCommand=nc %h %p"));
        l.add(c("ssh_options_unbalanced_quote_check_ssh", def("ssh_options=-o 'UserKnownHostsFile=/dev/null"))
                .at("ssh_options=-o 'UserKnownHostsFile=/dev/null").cmd(Cmd.SSH));
        // --- init_conf_load_script
        l.add(c("init_conf_load_script_fails", def("init_conf_load_script=exit 3")).at("init_conf_load_script=exit 3"));
        l.add(c("init_conf_load_script_prints_password_on_stderr", def("init_conf_load_script=echo s3cretPW >&2; exit 1"))
                .at("init_conf_load_script=echo s3cretPW >&2; exit 1"));
        l.add(c("init_conf_load_script_output_not_key_value", def("init_conf_load_script=echo s3cretPW"))
                .at("init_conf_load_script=echo s3cretPW").cmd(Cmd.REPL));
        l.add(c("init_conf_load_script_output_bad_value", def("init_conf_load_script=echo ping_interval=abc"))
                .at("init_conf_load_script=echo ping_interval=abc"));
        // --- global file
        l.add(c("global_conf_bad_value", std("", "", "")).global("# global\n[server default]\nping_interval=abc\n")
                .inGlobal("ping_interval=abc").cmd(Cmd.REPL));
        l.add(c("global_conf_with_server_block", std("", "", "")).global("[server default]\nuser=root\n[server1]\nhostname=127.0.0.9\n")
                .inGlobal("[server1]"));
        l.add(c("global_conf_unknown_key", std("", "", "")).global("[server default]\npasword=s3cretPW\n").inGlobal("pasword=s3cretPW"));
        l.add(c("global_conf_non_utf8", std("", "", "")).global("[server default]\nuser=r\u00ABxC3\u00BB\u00ABx28\u00BBoot\n")
                .inGlobal("user=r").cmd(Cmd.MANAGER));
        l.add(c("global_conf_missing", std("", "", "")).globalArg(d -> d.resolve("nope.cnf").toString()).names("nope.cnf").fileLevel());
        l.add(c("global_conf_is_a_directory", std("", "", "")).globalArg(d -> d.resolve("work").toString()).names("work").fileLevel("directory"));
        // --- the --conf file itself
        l.add(c("conf_is_a_directory", std("", "", "")).conf(d -> d.resolve("work").toString()).names("work").fileLevel("directory"));
        l.add(c("conf_missing", std("", "", "")).conf(d -> d.resolve("missing.conf").toString()).names("missing.conf").fileLevel().cmd(Cmd.REPL));
        l.add(c("conf_unreadable", std("", "", "")).setup(d -> Files.setPosixFilePermissions(d.resolve("app1.conf"),
                PosixFilePermissions.fromString("---------"))).fileLevel());
        l.add(c("conf_empty_argument", std("", "", "")).conf(d -> "").names("--conf").fileLevel().cmd(Cmd.MANAGER));
        l.add(c("conf_is_dev_zero", std("", "", "")).conf(d -> "/dev/zero").names("/dev/zero").fileLevel());
        l.add(c("conf_is_a_fifo", std("", "", "")).setup(d -> {
            Process p = new ProcessBuilder("mkfifo", d.resolve("fifo.conf").toString()).start();
            if (p.waitFor() != 0) throw new IOException("mkfifo failed");
        }).conf(d -> d.resolve("fifo.conf").toString()).names("fifo.conf").fileLevel().cmd(Cmd.STATUS));
        l.add(c("conf_is_a_symlink_loop", std("", "", "")).setup(d -> {
            Files.createSymbolicLink(d.resolve("loop1.conf"), d.resolve("loop2.conf"));
            Files.createSymbolicLink(d.resolve("loop2.conf"), d.resolve("loop1.conf"));
        }).conf(d -> d.resolve("loop1.conf").toString()).names("loop1.conf").fileLevel());
        return l.stream().map(x -> Arguments.of(Named.of(x.name, x)));
    }

    @ParameterizedTest(name = "config {index}: {0}")
    @MethodSource("configs")
    void hostileConfig(ConfCase k) throws Exception {
        Path app = dir.resolve("app1.conf");
        String text = k.text.replace("@DIR@", dir.toString());
        Files.write(app, bytes(text));
        String globalText = k.global.replace("@DIR@", dir.toString());
        Path global = Files.write(dir.resolve("g.cnf"), bytes(globalText));
        if (k.setup != null) k.setup.prepare(dir);
        if (k.name.equals("conf_unreadable")) {
            Assumptions.assumeFalse(Files.isReadable(app), "running as root: chmod 000 does not stop reading");
        }
        List<String> args = new ArrayList<>(k.cmd.words);
        args.add("--conf=" + (k.confArg != null ? k.confArg.apply(dir) : app.toString()));
        args.add("--global_conf=" + (k.globalArg != null ? k.globalArg.apply(dir) : global.toString()));
        Cli.Run r = run(args);

        SoftAssertions soft = new SoftAssertions();
        String summary = summary(k.name, r);
        String all = r.out() + r.err();
        if (k.expect == Expect.ACCEPT) {
            soft.assertThat(r.rc()).as("exit code of a valid config [%s]", summary).isZero();
            soft.assertThat(all).as("no complaint about the encoding [%s]", summary)
                    .doesNotContainPattern("(?i)byte.order|\\bBOM\\b|not UTF-8|\uFEFF");
            for (String s : k.mustShow) soft.assertThat(r.out()).as("shows %s [%s]", s, summary).contains(s);
        } else {
            soft.assertThat(r.rc()).as("exit code [%s]", summary).isNotZero();
            List<String> names = k.names != null ? k.names : List.of(k.culpritInGlobal ? "g.cnf" : "app1.conf");
            int line = k.line >= 0 ? k.line : lineOf(k.culpritInGlobal ? globalText : text, k.culprit.replace("@DIR@", dir.toString()), k.occurrence);
            String where = names + (line > 0 ? " line " + line : "") + (k.keywords.isEmpty() ? "" : " with one of " + k.keywords);
            String hit = errorLine(all, names, line, k.keywords);
            soft.assertThat(hit).as("one line naming %s [%s]", where, summary).isNotNull();
            if (hit != null) soft.assertThat(hit.length()).as("length of the error line [%s]", summary).isLessThanOrEqualTo(MAX_ERROR_LINE);
        }
        common(soft, r, summary, k.forbidden);
        soft.assertAll();
    }

    /** UTF-8, with «xHH» replaced by the raw byte HH. */
    private static byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Matcher m = Pattern.compile("\u00ABx([0-9A-F]{2})\u00BB").matcher(text);
        int last = 0;
        while (m.find()) {
            out.writeBytes(text.substring(last, m.start()).getBytes(StandardCharsets.UTF_8));
            out.write(Integer.parseInt(m.group(1), 16));
            last = m.end();
        }
        out.writeBytes(text.substring(last).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The 1-based line that equals the culprit (else contains it), its nth occurrence. */
    private static int lineOf(String text, String culprit, int nth) {
        String[] ls = text.split("\r?\n", -1);
        for (boolean exact : new boolean[] {true, false}) {
            int seen = 0;
            for (int i = 0; i < ls.length; i++) {
                boolean match = exact ? ls[i].strip().equals(culprit.strip()) : ls[i].contains(culprit);
                if (match && ++seen == nth) return i + 1;
            }
        }
        throw new IllegalArgumentException("culprit not in the config: " + culprit.substring(0, Math.min(60, culprit.length())));
    }

    /** The first output line that is not usage help and names one of the files (with the line) and a keyword. */
    private static String errorLine(String all, List<String> names, int line, List<String> keywords) {
        for (String l : all.split("\n")) {
            if (l.isBlank() || Character.isWhitespace(l.charAt(0)) || l.startsWith("Usage:")) continue;
            boolean named = names.stream().anyMatch(l::contains);
            if (!named) continue;
            if (line > 0) {
                boolean at = names.stream().anyMatch(n -> Pattern.compile(Pattern.quote(n) + ":" + line + "(?!\\d)").matcher(l).find())
                        || Pattern.compile("\\bline " + line + "(?!\\d)").matcher(l).find();
                if (!at) continue;
            }
            if (!keywords.isEmpty() && keywords.stream().noneMatch(w -> l.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)))) continue;
            return l;
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Command lines

    enum Kind {
        /** Refused: non-zero exit code and a line naming the option. */
        REFUSE,
        /** MHA's pass-through: a warning line naming the unknown option; the exit code is what the command itself gives. */
        WARN
    }

    /** One bad command line. Placeholders: @CONF@ app1.conf, @G@ the empty global file, @DIR@, @BLOCKED@ (under a regular file). */
    static final class CliCase {
        final String name;
        final List<String> args;
        List<String> tokens = List.of();
        Kind kind = Kind.REFUSE;
        boolean confUnchanged;

        CliCase(String name, String... args) {
            this.name = name;
            this.args = List.of(args);
        }

        /** The error line must name one of these (an option, or the offending value where that is as clear). */
        CliCase names(String... t) { tokens = List.of(t); return this; }
        CliCase warns(String... t) { kind = Kind.WARN; tokens = List.of(t); return this; }
        /** masterha_conf_host: app1.conf must be byte-identical afterwards (no injected block). */
        CliCase unchanged() { confUnchanged = true; return this; }

        @Override
        public String toString() {
            return name;
        }
    }

    static CliCase k(String name, String... args) {
        return new CliCase(name, args);
    }

    private static final String CONF = "--conf=@CONF@";
    private static final String G = "--global_conf=@G@";
    private static final String SWITCH = "masterha_master_switch";
    private static final String DEAD = "--dead_master_host=127.0.0.1";
    private static final String DEAD_PORT = "--dead_master_port=1";
    private static final String HOST = "masterha_conf_host";

    static Stream<Arguments> commandLines() {
        List<CliCase> l = new ArrayList<>();
        // --- missing or malformed --conf
        l.add(k("check_repl_without_conf", "masterha_check_repl").names("--conf"));
        l.add(k("check_ssh_without_conf", "masterha_check_ssh").names("--conf"));
        l.add(k("manager_without_conf", "masterha_manager").names("--conf"));
        l.add(k("check_status_without_conf", "masterha_check_status").names("--conf"));
        l.add(k("stop_without_conf", "masterha_stop").names("--conf"));
        l.add(k("monitor_without_conf", "masterha_master_monitor").names("--conf"));
        l.add(k("switch_without_conf", SWITCH, "--master_state=alive").names("--conf"));
        l.add(k("config_show_without_conf", "config", "show").names("--conf"));
        l.add(k("semisync_status_without_conf", "semisync", "status").names("--conf"));
        l.add(k("conf_without_value", "masterha_check_repl", "--conf").names("--conf"));
        l.add(k("conf_followed_by_an_option", "masterha_check_repl", "--conf", G).names("--conf"));
        l.add(k("conf_after_double_dash", "masterha_check_repl", "--", CONF).names("--conf"));
        l.add(k("conf_given_twice", "masterha_check_repl", CONF, CONF, G).names("--conf"));
        l.add(k("conf_upper_case_option", "masterha_check_repl", "--CONF=@CONF@", G).names("--conf"));
        l.add(k("conf_empty_value_check_repl", "masterha_check_repl", "--conf=", G).names("--conf"));
        l.add(k("conf_with_nul_character", "masterha_check_repl", "--conf=@DIR@/a\u0000b.conf", G).names("--conf"));
        l.add(k("conf_path_100k_characters", "masterha_check_repl", "--conf=@DIR@/" + LONG, G).names("--conf", "@DIR@/aaaaaaaaaa*"));
        l.add(k("global_conf_empty_value", "masterha_check_repl", CONF, "--global_conf=").names("--global_conf"));
        // --- masterha_check_repl numbers
        l.add(k("check_repl_seconds_behind_master_negative", "masterha_check_repl", CONF, G, "--seconds_behind_master=-1").names("--seconds_behind_master"));
        l.add(k("check_repl_seconds_behind_master_non_numeric", "masterha_check_repl", CONF, G, "--seconds_behind_master=abc").names("--seconds_behind_master"));
        l.add(k("check_repl_min_replicas_zero", "masterha_check_repl", CONF, G, "--min_replicas=0").names("--min_replicas"));
        l.add(k("check_repl_min_replicas_negative", "masterha_check_repl", CONF, G, "--min_replicas=-1").names("--min_replicas"));
        l.add(k("check_repl_min_replicas_non_numeric", "masterha_check_repl", CONF, G, "--min_replicas=two").names("--min_replicas"));
        l.add(k("check_repl_min_replicas_above_int_max", "masterha_check_repl", CONF, G, "--min_replicas=2147483648").names("--min_replicas"));
        l.add(k("mha_check_repl_seconds_behind_master_negative", "check", "repl", CONF, G, "--seconds_behind_master=-5").names("--seconds_behind_master"));
        // --- masterha_master_switch
        l.add(k("switch_running_updates_limit_negative", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--running_updates_limit=-1").names("--running_updates_limit"));
        l.add(k("switch_running_updates_limit_non_numeric", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--running_updates_limit=abc").names("--running_updates_limit"));
        l.add(k("switch_running_updates_limit_above_int_max", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--running_updates_limit=2147483648").names("--running_updates_limit"));
        l.add(k("switch_running_updates_limit_100k_digits", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--running_updates_limit=" + LONG_DIGITS).names("--running_updates_limit"));
        l.add(k("switch_running_seconds_limit_negative", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--running_seconds_limit=-5").names("--running_seconds_limit"));
        l.add(k("switch_seconds_behind_master_negative", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--seconds_behind_master=-1").names("--seconds_behind_master"));
        l.add(k("switch_gtid_wait_seconds_negative", SWITCH, CONF, G, "--master_state=dead", DEAD, DEAD_PORT, "--interactive=0", "--gtid_wait_seconds=-1").names("--gtid_wait_seconds"));
        l.add(k("switch_gtid_wait_seconds_non_numeric", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--gtid_wait_seconds=abc").names("--gtid_wait_seconds"));
        l.add(k("switch_write_block_seconds_zero", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--write_block_seconds=0").names("--write_block_seconds"));
        l.add(k("switch_write_block_seconds_negative", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--write_block_seconds=-1").names("--write_block_seconds"));
        l.add(k("switch_last_failover_minute_negative", SWITCH, CONF, G, "--master_state=dead", DEAD, DEAD_PORT, "--interactive=0", "--last_failover_minute=-1").names("--last_failover_minute"));
        l.add(k("switch_last_failover_minute_non_numeric", SWITCH, CONF, G, "--master_state=dead", DEAD, DEAD_PORT, "--interactive=0", "--last_failover_minute=abc").names("--last_failover_minute"));
        l.add(k("switch_master_state_foo", SWITCH, CONF, G, "--master_state=foo").names("--master_state"));
        l.add(k("switch_master_state_empty", SWITCH, CONF, G, "--master_state=").names("--master_state"));
        l.add(k("switch_master_state_upper_case", SWITCH, CONF, G, "--master_state=ALIVE").names("--master_state"));
        l.add(k("switch_master_state_twice", SWITCH, CONF, G, "--master_state=alive", "--master_state=dead").names("--master_state"));
        l.add(k("switch_alive_with_dead_master_host", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", DEAD).names("--dead_master_host"));
        l.add(k("switch_dead_without_dead_master_host", SWITCH, CONF, G, "--master_state=dead", "--interactive=0").names("--dead_master_host"));
        l.add(k("switch_dead_master_host_not_in_config", SWITCH, CONF, G, "--master_state=dead", "--interactive=0", "--dead_master_host=10.9.9.9").names("--dead_master_host", "10.9.9.9"));
        l.add(k("switch_dead_master_port_zero", SWITCH, CONF, G, "--master_state=dead", "--interactive=0", DEAD, "--dead_master_port=0").names("--dead_master_port", "127.0.0.1:0"));
        l.add(k("switch_dead_master_port_70000", SWITCH, CONF, G, "--master_state=dead", "--interactive=0", DEAD, "--dead_master_port=70000").names("--dead_master_port", "127.0.0.1:70000"));
        l.add(k("switch_dead_master_port_non_numeric", SWITCH, CONF, G, "--master_state=dead", "--interactive=0", DEAD, "--dead_master_port=abc").names("--dead_master_port"));
        l.add(k("switch_new_master_host_not_in_config_alive", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--new_master_host=10.9.9.9").names("--new_master_host", "10.9.9.9"));
        l.add(k("switch_new_master_host_not_in_config_dead", SWITCH, CONF, G, "--master_state=dead", "--interactive=0", DEAD, DEAD_PORT, "--new_master_host=10.9.9.9").names("--new_master_host", "10.9.9.9"));
        l.add(k("switch_new_master_host_100k_characters", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--new_master_host=" + LONG).names("--new_master_host"));
        l.add(k("switch_new_master_port_zero", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--new_master_host=127.0.0.2", "--new_master_port=0").names("--new_master_port"));
        l.add(k("switch_new_master_port_non_numeric", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--new_master_port=abc").names("--new_master_port"));
        l.add(k("switch_interactive_2", SWITCH, CONF, G, "--master_state=dead", DEAD, DEAD_PORT, "--interactive=2").names("--interactive"));
        l.add(k("switch_interactive_negative", SWITCH, CONF, G, "--master_state=dead", DEAD, DEAD_PORT, "--interactive=-1").names("--interactive"));
        l.add(k("switch_interactive_non_numeric", SWITCH, CONF, G, "--master_state=alive", "--interactive=no").names("--interactive"));
        l.add(k("switch_boolean_option_with_value", SWITCH, CONF, G, "--master_state=alive", "--interactive=0", "--orig_master_is_new_slave=yes").names("--orig_master_is_new_slave"));
        l.add(k("mha_switch_master_state_zombie", "switch", CONF, G, "--master_state=zombie").names("--master_state"));
        // --- masterha_manager
        l.add(k("manager_last_failover_minute_negative", "masterha_manager", CONF, G, "--last_failover_minute=-1").names("--last_failover_minute"));
        l.add(k("manager_last_failover_minute_non_numeric", "masterha_manager", CONF, G, "--last_failover_minute=8h").names("--last_failover_minute"));
        l.add(k("manager_wait_on_failover_error_negative", "masterha_manager", CONF, G, "--wait_on_failover_error=-1").names("--wait_on_failover_error"));
        l.add(k("manager_wait_on_monitor_error_negative", "masterha_manager", CONF, G, "--wait_on_monitor_error=-1").names("--wait_on_monitor_error"));
        l.add(k("manager_wait_on_monitor_error_non_numeric", "masterha_manager", CONF, G, "--wait_on_monitor_error=abc").names("--wait_on_monitor_error"));
        l.add(k("manager_gtid_wait_seconds_negative", "masterha_manager", CONF, G, "--gtid_wait_seconds=-1").names("--gtid_wait_seconds"));
        l.add(k("manager_new_master_host_not_in_config", "masterha_manager", CONF, G, "--new_master_host=10.9.9.9").names("--new_master_host", "10.9.9.9"));
        l.add(k("manager_new_master_port_70000", "masterha_manager", CONF, G, "--new_master_host=127.0.0.2", "--new_master_port=70000").names("--new_master_port"));
        l.add(k("manager_boolean_option_with_value", "masterha_manager", CONF, G, "--ignore_last_failover=2").names("--ignore_last_failover"));
        // --- unknown options and positional garbage on masterha_* (MHA ignores them: a warning is right)
        l.add(k("manager_unknown_option_warns", "masterha_manager", CONF, G, "--frobnicate=1").warns("--frobnicate=1"));
        l.add(k("check_repl_unknown_option_warns", "masterha_check_repl", CONF, G, "--frobnicate").warns("--frobnicate"));
        l.add(k("monitor_ping_interval_non_numeric_warns", "masterha_master_monitor", CONF, G, "--ping_interval=abc").warns("--ping_interval=abc"));
        l.add(k("monitor_ping_interval_negative_warns", "masterha_master_monitor", CONF, G, "--ping_interval=-3").warns("--ping_interval=-3"));
        l.add(k("stop_unknown_option_warns", "masterha_stop", CONF, G, "--force").warns("--force"));
        l.add(k("check_repl_positional_garbage_warns", "masterha_check_repl", CONF, G, "garbage").warns("garbage"));
        l.add(k("check_repl_unknown_option_100k_characters_warns", "masterha_check_repl", CONF, G, "--" + LONG).warns("--aaaaaaaaaa*"));
        // --- masterha_check_status, masterha_stop
        l.add(k("check_status_ping_limit_negative", "masterha_check_status", CONF, G, "--ping_limit=-1").names("--ping_limit"));
        l.add(k("check_status_ping_limit_zero", "masterha_check_status", CONF, G, "--ping_limit=0").names("--ping_limit"));
        l.add(k("check_status_ping_limit_non_numeric", "masterha_check_status", CONF, G, "--ping_limit=abc").names("--ping_limit"));
        l.add(k("stop_abort_timeout_negative", "masterha_stop", CONF, G, "--abort_timeout=-1").names("--abort_timeout"));
        l.add(k("stop_abort_timeout_non_numeric", "masterha_stop", CONF, G, "--abort_timeout=abc").names("--abort_timeout"));
        // --- masterha_secondary_check
        l.add(k("secondary_check_without_master_host", "masterha_secondary_check", "-s", "127.0.0.1", "--port=1").names("--master_host"));
        l.add(k("secondary_check_without_secondary_host", "masterha_secondary_check", "--master_host=127.0.0.1").names("--secondary_host", "-s"));
        l.add(k("secondary_check_port_zero", "masterha_secondary_check", "-s", "127.0.0.1", "--port=0", "--master_host=127.0.0.1", "--master_port=1").names("--port"));
        l.add(k("secondary_check_port_70000", "masterha_secondary_check", "-s", "127.0.0.1", "--port=70000", "--master_host=127.0.0.1", "--master_port=1").names("--port"));
        l.add(k("secondary_check_port_non_numeric", "masterha_secondary_check", "-s", "127.0.0.1", "--port=ssh", "--master_host=127.0.0.1").names("--port"));
        l.add(k("secondary_check_timeout_zero", "masterha_secondary_check", "-s", "127.0.0.1", "--port=1", "--timeout=0", "--master_host=127.0.0.1", "--master_port=1").names("--timeout"));
        l.add(k("secondary_check_timeout_negative", "masterha_secondary_check", "-s", "127.0.0.1", "--port=1", "--timeout=-1", "--master_host=127.0.0.1", "--master_port=1").names("--timeout"));
        l.add(k("secondary_check_master_port_zero", "masterha_secondary_check", "-s", "127.0.0.1", "--port=1", "--master_host=127.0.0.1", "--master_port=0").names("--master_port"));
        l.add(k("secondary_check_master_port_non_numeric", "masterha_secondary_check", "-s", "127.0.0.1", "--master_host=127.0.0.1", "--master_port=mysql").names("--master_port"));
        // --- masterha_conf_host
        l.add(k("conf_host_params_newline_injection", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=server7",
                "--params=node_label=x\n[server9]\nhostname=10.6.6.6").names("--params").unchanged());
        l.add(k("conf_host_params_carriage_return_injection", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=server7",
                "--params=node_label=x\r[server9]\rhostname=10.6.6.6").names("--params").unchanged());
        l.add(k("conf_host_hostname_newline_injection", HOST, "--command=add", CONF, "--hostname=127.0.0.7\n[server9]\nhostname=10.6.6.6",
                "--block=server7").names("--hostname").unchanged());
        l.add(k("conf_host_block_newline_injection", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=7]\n[server9")
                .names("--block").unchanged());
        l.add(k("conf_host_block_with_closing_bracket", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=7]x")
                .names("--block").unchanged());
        l.add(k("conf_host_block_empty", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=").names("--block").unchanged());
        l.add(k("conf_host_delete_without_block", HOST, "--command=delete", CONF).names("--block"));
        l.add(k("conf_host_without_command", HOST, CONF, "--block=server7").names("--command"));
        l.add(k("conf_host_unknown_command", HOST, "--command=frobnicate", CONF, "--block=server7").names("--command").unchanged());
        l.add(k("conf_host_params_not_key_value", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=server7", "--params=port")
                .names("--params").unchanged());
        l.add(k("conf_host_params_unknown_key", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=server7", "--params=prot=1")
                .names("--params", "prot").unchanged());
        l.add(k("conf_host_params_bad_port", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=server7", "--params=port=abc")
                .names("--params", "port").unchanged());
        l.add(k("conf_host_block_already_exists", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=server1")
                .names("--block", "server1").unchanged());
        l.add(k("conf_host_same_address_as_server1", HOST, "--command=add", CONF, "--hostname=127.0.0.1", "--block=server7", "--params=port=1")
                .names("--hostname", "127.0.0.1:1").unchanged());
        l.add(k("conf_host_params_100k_characters", HOST, "--command=add", CONF, "--hostname=127.0.0.7", "--block=server7", "--params=" + LONG)
                .names("--params").unchanged());
        l.add(k("conf_host_missing_conf_file", HOST, "--command=add", "--conf=@DIR@/missing.conf", "--hostname=127.0.0.7", "--block=server7")
                .names("missing.conf", "--conf"));
        // --- mha semisync
        l.add(k("semisync_enable_timeout_zero", "semisync", "enable", CONF, G, "--timeout-ms=0").names("--timeout-ms"));
        l.add(k("semisync_enable_timeout_negative", "semisync", "enable", CONF, G, "--timeout-ms=-1").names("--timeout-ms"));
        l.add(k("semisync_enable_timeout_non_numeric", "semisync", "enable", CONF, G, "--timeout-ms=10s").names("--timeout-ms"));
        l.add(k("semisync_enable_timeout_above_max", "semisync", "enable", CONF, G, "--timeout-ms=4294967296").names("--timeout-ms"));
        l.add(k("semisync_enable_timeout_twice", "semisync", "enable", CONF, G, "--timeout-ms=1000", "--timeout-ms=2000").names("--timeout-ms"));
        l.add(k("semisync_enable_wait_for_replicas_99", "semisync", "enable", CONF, G, "--wait-for-replicas=99").names("--wait-for-replicas"));
        l.add(k("semisync_enable_wait_for_replicas_zero", "semisync", "enable", CONF, G, "--wait-for-replicas=0").names("--wait-for-replicas"));
        l.add(k("semisync_enable_wait_for_replicas_negative", "semisync", "enable", CONF, G, "--wait-for-replicas=-1").names("--wait-for-replicas"));
        l.add(k("semisync_enable_wait_point_bogus", "semisync", "enable", CONF, G, "--wait-point=BEFORE_COMMIT").names("--wait-point"));
        l.add(k("semisync_enable_unknown_option", "semisync", "enable", CONF, G, "--bogus").names("--bogus"));
        l.add(k("semisync_tune_timeout_zero", "semisync", "tune", CONF, G, "--timeout-ms=0").names("--timeout-ms"));
        l.add(k("semisync_tune_without_timeout", "semisync", "tune", CONF, G).names("--timeout-ms"));
        l.add(k("semisync_status_json_with_value", "semisync", "status", CONF, G, "--json=yes").names("--json"));
        l.add(k("semisync_unknown_subcommand", "semisync", "frobnicate", CONF, G).names("frobnicate"));
        // --- mha bench (the work dir is under a regular file: no sandbox can start even if an option slips through)
        l.add(k("bench_failover_semi_sync_maybe", "bench", "failover", "--semi-sync", "maybe", "--dir", "@BLOCKED@").names("--semi-sync"));
        l.add(k("bench_failover_trials_zero", "bench", "failover", "--trials", "0", "--dir", "@BLOCKED@").names("--trials"));
        l.add(k("bench_failover_trials_negative", "bench", "failover", "--trials", "-1", "--dir", "@BLOCKED@").names("--trials"));
        l.add(k("bench_failover_faults_explode", "bench", "failover", "--faults", "explode", "--dir", "@BLOCKED@").names("--faults"));
        l.add(k("bench_failover_faults_empty_item", "bench", "failover", "--faults", "kill,,stop", "--dir", "@BLOCKED@").names("--faults"));
        l.add(k("bench_failover_nodes_1", "bench", "failover", "--nodes", "1", "--dir", "@BLOCKED@").names("--nodes"));
        l.add(k("bench_failover_nodes_0", "bench", "failover", "--nodes", "0", "--dir", "@BLOCKED@").names("--nodes"));
        l.add(k("bench_failover_threads_0", "bench", "failover", "--threads", "0", "--dir", "@BLOCKED@").names("--threads"));
        l.add(k("bench_failover_ping_interval_0", "bench", "failover", "--ping-interval", "0", "--dir", "@BLOCKED@").names("--ping-interval"));
        l.add(k("bench_failover_flavor_foo", "bench", "failover", "--flavor", "foo", "--dir", "@BLOCKED@").names("--flavor", "foo"));
        l.add(k("bench_failover_replication_foo", "bench", "failover", "--replication", "foo", "--dir", "@BLOCKED@").names("--replication"));
        l.add(k("bench_failover_semi_sync_timeout_zero", "bench", "failover", "--semi-sync-timeout", "0", "--dir", "@BLOCKED@").names("--semi-sync-timeout"));
        l.add(k("bench_switch_runs_0", "bench", "switch", "--runs", "0", "--dir", "@BLOCKED@").names("--runs"));
        l.add(k("bench_switch_clients_0", "bench", "switch", "--clients", "0", "--dir", "@BLOCKED@").names("--clients"));
        // --- mha sandbox
        l.add(k("sandbox_up_base_port_70000", "sandbox", "up", "--base-port", "70000", "--dir", "@BLOCKED@").names("--base-port"));
        l.add(k("sandbox_up_base_port_negative", "sandbox", "up", "--base-port", "-1", "--dir", "@BLOCKED@").names("--base-port"));
        l.add(k("sandbox_up_nodes_0", "sandbox", "up", "--nodes", "0", "--dir", "@BLOCKED@").names("--nodes"));
        l.add(k("sandbox_up_nodes_33", "sandbox", "up", "--nodes", "33", "--dir", "@BLOCKED@").names("--nodes"));
        l.add(k("sandbox_up_flavor_foo", "sandbox", "up", "--flavor", "foo", "--dir", "@BLOCKED@").names("--flavor", "foo"));
        l.add(k("sandbox_up_replication_foo", "sandbox", "up", "--replication", "foo", "--dir", "@BLOCKED@").names("--replication"));
        l.add(k("sandbox_stop_node_non_numeric", "sandbox", "stop-node", "abc", "--dir", "@DIR@").names("abc"));
        // --- node tools
        l.add(k("save_binary_logs_without_start_file", "save_binary_logs", "--binlog_dir=@DIR@").names("--start_file"));
        l.add(k("save_binary_logs_start_pos_negative", "save_binary_logs", "--start_file=binlog.000001", "--start_pos=-1",
                "--binlog_dir=@DIR@", "--output_file=@DIR@/out.binlog").names("--start_pos"));
        l.add(k("save_binary_logs_unknown_command", "save_binary_logs", "--command=frobnicate", "--start_file=binlog.000001",
                "--binlog_dir=@DIR@", "--output_file=@DIR@/out.binlog").names("--command"));
        l.add(k("purge_relay_logs_port_non_numeric", "purge_relay_logs", "--port=mysql", "--workdir=@DIR@").names("--port"));
        l.add(k("purge_relay_logs_use_hardlink_2", "purge_relay_logs", "--port=1", "--use_hardlink=2", "--workdir=@DIR@").names("--use_hardlink"));
        // --- commands and positional garbage where no pass-through applies
        l.add(k("unknown_top_level_command", "frobnicate").names("frobnicate"));
        l.add(k("misspelt_command", "masterha_check_rep", CONF, G).names("masterha_check_rep"));
        l.add(k("unknown_check_subcommand", "check", "frobnicate").names("frobnicate"));
        l.add(k("config_show_positional_garbage", "config", "show", CONF, G, "garbage").names("garbage"));
        return l.stream().map(x -> Arguments.of(Named.of(x.name, x)));
    }

    @ParameterizedTest(name = "command line {index}: {0}")
    @MethodSource("commandLines")
    void badCommandLine(CliCase k) throws Exception {
        byte[] before = Files.readAllBytes(conf);
        List<String> args = k.args.stream().map(a -> a.replace("@CONF@", conf.toString()).replace("@G@", dir.resolve("g.cnf").toString())
                .replace("@BLOCKED@", dir.resolve("afile").resolve("sub").toString()).replace("@DIR@", dir.toString())).toList();
        Cli.Run r = run(args);

        SoftAssertions soft = new SoftAssertions();
        String summary = summary(k.name, r);
        List<String> tokens = k.tokens.stream().map(t -> t.replace("@DIR@", dir.toString())).toList();
        String hit = optionLine(r.out() + r.err(), tokens, k.kind == Kind.WARN);
        if (k.kind == Kind.REFUSE) {
            soft.assertThat(r.rc()).as("exit code [%s]", summary).isNotZero();
            soft.assertThat(hit).as("one line naming %s [%s]", k.tokens, summary).isNotNull();
        } else {
            soft.assertThat(hit).as("a warning about the unknown option naming %s [%s]", k.tokens, summary).isNotNull();
        }
        if (hit != null) soft.assertThat(hit.length()).as("length of the error line [%s]", summary).isLessThanOrEqualTo(MAX_ERROR_LINE);
        if (k.confUnchanged) {
            String after = Files.readString(conf, StandardCharsets.ISO_8859_1);
            soft.assertThat(after).as("no block injected into app1.conf [%s]", summary).doesNotContain("[server9]").doesNotContain("10.6.6.6");
            soft.assertThat(Files.readAllBytes(conf)).as("app1.conf unchanged [%s]", summary).isEqualTo(before);
        }
        common(soft, r, summary, List.of());
        soft.assertAll();
    }

    /** The first output line that is not usage help and names one of the tokens (as a whole word); a warning if asked. */
    private static String optionLine(String all, List<String> tokens, boolean warning) {
        for (String l : all.split("\n")) {
            if (l.isBlank() || Character.isWhitespace(l.charAt(0)) || l.startsWith("Usage:")) continue;
            if (warning && !l.toLowerCase(Locale.ROOT).contains("unknown option")) continue;
            for (String t : tokens) {
                // "x*": a prefix; "--option": a whole option name (--semi-sync is not --semi-sync-timeout); else a substring
                boolean found = t.endsWith("*") ? l.contains(t.substring(0, t.length() - 1))
                        : t.startsWith("-") ? Pattern.compile("(?<![\\w-])" + Pattern.quote(t) + "(?![\\w-])").matcher(l).find()
                        : l.contains(t);
                if (found) return l;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Shared

    private static Cli.Run run(List<String> args) {
        return assertTimeoutPreemptively(BOUND, () -> Cli.run(args.toArray(String[]::new)),
                () -> "did not finish within " + BOUND.toSeconds() + " s: " + shortArgs(args));
    }

    private static void common(SoftAssertions soft, Cli.Run r, String summary, List<String> forbidden) {
        String all = r.out() + r.err();
        Matcher st = STACK_TRACE.matcher(all);
        soft.assertThat(st.find() ? all.substring(Math.max(0, st.start() - 60), Math.min(all.length(), st.end() + 60)) : null)
                .as("a stack trace or a Java class name in the output [%s]", summary).isNull();
        soft.assertThat(all.contains(SECRET)).as("the password %s in the output [%s]", SECRET, summary).isFalse();
        for (String f : forbidden) soft.assertThat(all.contains(f)).as("%s in the output [%s]", f, summary).isFalse();
    }

    /** The exit code and the first three lines of output, shortened, for the failure message. */
    private static String summary(String name, Cli.Run r) {
        List<String> first = new ArrayList<>();
        for (String s : new String[] {r.out(), r.err()}) {
            for (String l : s.split("\n")) {
                if (l.isBlank() || first.size() >= 3) continue;
                first.add((l.length() > 240 ? l.substring(0, 240) + "…(" + l.length() + " chars)" : l).replace(SECRET, "<SECRET>"));
            }
        }
        String error = null;
        for (String l : (r.out() + r.err()).split("\n")) {
            if (error == null && !first.contains(l) && l.matches("(?i).*(\\[error]|error:|invalid|missing|unknown|unmatched|exception).*")) error = l;
        }
        String more = error == null ? "" : " ⏎ … first error line: " + (error.length() > 240 ? error.substring(0, 240) + "…(" + error.length() + " chars)" : error)
                .replace(SECRET, "<SECRET>");
        return name + ": rc=" + r.rc() + "; output: " + String.join(" ⏎ ", first) + more;
    }

    private static String shortArgs(List<String> args) {
        return Arrays.toString(args.stream().map(a -> a.length() > 80 ? a.substring(0, 80) + "…" : a).toArray());
    }
}
