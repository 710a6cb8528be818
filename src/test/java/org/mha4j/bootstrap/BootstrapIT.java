package org.mha4j.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mha4j.sandbox.Sandbox;
import org.mha4j.testing.Cli;
import org.mha4j.testing.SandboxTest;
import org.mha4j.testing.TestTable;

/**
 * Issue 20: servers that run but do not replicate (sandbox nodes made bare: replication reset, writable, no replication
 * account) become the seed's topology with one command, checked by masterha_check_repl; servers whose data differs are
 * refused with nothing changed. Real MariaDB servers.
 */
class BootstrapIT extends SandboxTest {

    private void makeBare() {
        TestTable.create(sb, 1);
        TestTable.insert(sb, 1, "seed", 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTable.rows(sb, 3) == 3);
        for (int n = 2; n <= 3; n++) sb.exec(n, "STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only=0");
        for (int n = 1; n <= 3; n++) sb.exec(n, "SET SESSION sql_log_bin=0", "DROP USER 'repl'@'127.0.0.1'", "SET SESSION sql_log_bin=1");
    }

    private Cli.Run bootstrap(String... more) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("bootstrap", "--conf=" + sb.configFile(), global()));
        args.addAll(java.util.List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void bareServersBecomeAMasterWithReadOnlyGtidReplicasAndRunningItAgainChangesNothing() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        makeBare();
        String pw = sb.replPassword();
        Cli.Run noGrant = bootstrap();
        assertThat(noGrant.rc()).as(noGrant.out()).isEqualTo(1);
        assertThat(noGrant.out()).contains("may not create it (no GRANT OPTION)").contains("Bootstrap refused").doesNotContain("CHANGE MASTER");
        for (int n = 1; n <= 3; n++) {
            sb.exec(n, "SET SESSION sql_log_bin=0", "GRANT ALL PRIVILEGES ON *.* TO 'mha'@'127.0.0.1' WITH GRANT OPTION", "SET SESSION sql_log_bin=1");
        }

        Cli.Run dry = bootstrap("--dry-run");
        assertThat(dry.rc()).as(dry.out()).isZero();
        assertThat(dry.out()).contains("CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY '******'").contains("MASTER_USE_GTID=current_pos")
                .doesNotContain(pw);
        assertThat(TestTable.replicaStatus(sb, 2)).as("--dry-run changes nothing").isEmpty();

        Cli.Run r = bootstrap();
        assertThat(r.rc()).as(r.out()).isZero();
        assertThat(r.out()).contains("MySQL Replication Health is OK.").doesNotContain(pw);
        for (int n = 2; n <= 3; n++) {
            assertThat(TestTable.replicaStatus(sb, n)).hasValueSatisfying(s -> assertThat(s.get("Master_Port")).isEqualTo(Integer.toString(sb.node(1).port())));
            assertThat(sb.value(n, "SELECT @@read_only")).isEqualTo("1");
            assertThat(sb.value(n, "SELECT COUNT(*) FROM mysql.user WHERE User='repl'")).isEqualTo("1");
        }
        TestTable.insert(sb, 1, "after", 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTable.rows(sb, 2) == 5 && TestTable.rows(sb, 3) == 5);
        assertThat(TestTable.digest(sb, 3)).isEqualTo(TestTable.digest(sb, 1));

        Cli.Run again = bootstrap();
        assertThat(again.rc()).as(again.out()).isZero();
        assertThat(again.out()).contains("Every replica already replicates from").doesNotContain("CREATE USER").doesNotContain("CHANGE MASTER");
    }

    @Test
    void serversWhoseDataDiffersAreRefusedAndNothingChanges() throws Exception {
        sb = Sandbox.create(tmp.resolve("sb"), 3, 0).up();
        makeBare();
        sb.exec(3, "INSERT INTO t.a(v) VALUES ('only-on-server3')");
        for (int n = 1; n <= 3; n++) {
            sb.exec(n, "SET SESSION sql_log_bin=0", "GRANT ALL PRIVILEGES ON *.* TO 'mha'@'127.0.0.1' WITH GRANT OPTION", "SET SESSION sql_log_bin=1");
        }

        Cli.Run r = bootstrap();
        assertThat(r.rc()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("server3").contains("holds transactions the master").contains("Bootstrap refused")
                .contains("nothing changed");
        assertThat(TestTable.replicaStatus(sb, 2)).isEmpty();
        assertThat(sb.value(1, "SELECT COUNT(*) FROM mysql.user WHERE User='repl'")).isEqualTo("0");
    }
}
