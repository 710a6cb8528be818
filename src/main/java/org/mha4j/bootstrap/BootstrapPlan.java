package org.mha4j.bootstrap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mha4j.topology.Dialect;
import org.mha4j.topology.Flavor;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.ServerSnapshot;

/**
 * What turns running servers into the seed's topology, decided from their snapshots alone (pure): the settings that
 * must be fixed in my.cnf first (refusals, each with the line to add), data that differs (refused), and otherwise the
 * statements per server. Idempotent: a replica that already replicates from the master is left alone.
 */
public final class BootstrapPlan {
    private BootstrapPlan() {}

    /** @param myCnf lines to add to a server's my.cnf, with the reason */
    public record Problem(String server, String problem, Optional<String> myCnf) {}

    /** What one server gets, in order; {@code secret} statements carry the replication password and are logged masked. */
    public record Step(ServerSnapshot server, String sql, boolean secret) {}

    public record Plan(List<Problem> problems, List<Step> steps) {
        public boolean refused() {
            return !problems.isEmpty();
        }
    }

    /**
     * @param master   the server the others will replicate from
     * @param others   the servers that will be its replicas
     * @param replUser the replication account (created where missing, on every server: any may become master)
     * @param replUsersExisting per server label, whether the account exists there
     * @param canGrant          per server label, whether the manager's account may create accounts there (GRANT OPTION)
     */
    public static Plan plan(ServerSnapshot master, List<ServerSnapshot> others, String replUser, String replPassword,
                            Map<String, Boolean> replUsersExisting, Map<String, Boolean> canGrant, Optional<Double> heartbeatSeconds) {
        List<ServerSnapshot> all = new ArrayList<>();
        all.add(master);
        all.addAll(others);
        List<Problem> problems = new ArrayList<>();
        Map<Long, String> ids = new HashMap<>();
        for (ServerSnapshot s : all) {
            String other = ids.putIfAbsent(s.serverId(), s.label());
            if (other != null) {
                problems.add(new Problem(s.label(), "server_id " + s.serverId() + " is also " + other + "'s",
                        Optional.of("server_id=<a number no other server has>")));
            }
            if (!s.logBin()) problems.add(new Problem(s.label(), "the binary log is off: it could not be promoted", Optional.of("log_bin=mysql-bin")));
            if (!s.logSlaveUpdates()) {
                problems.add(new Problem(s.label(), "log_slave_updates is off: after a promotion its replicas would miss what it applied",
                        Optional.of("log_slave_updates=1")));
            }
            if (!s.binlogFormat().equalsIgnoreCase(master.binlogFormat())) {
                problems.add(new Problem(s.label(), "binlog_format is " + s.binlogFormat() + ", the master's " + master.binlogFormat(),
                        Optional.of("binlog_format=" + master.binlogFormat())));
            }
            if (s.version().flavor() != master.version().flavor()) {
                problems.add(new Problem(s.label(), "runs " + s.version().display() + " next to the master's " + master.version().display(),
                        Optional.empty()));
            }
            if (s.version().flavor() == Flavor.MYSQL && !s.gtid().enabled()) {
                problems.add(new Problem(s.label(), "GTID is off (gtid_mode=" + s.gtid().mode() + ")",
                        Optional.of("gtid_mode=ON and enforce_gtid_consistency=ON")));
            }
        }
        for (ServerSnapshot s : all) {
            if (!Boolean.TRUE.equals(replUsersExisting.get(s.label())) && !Boolean.TRUE.equals(canGrant.get(s.label()))) {
                problems.add(new Problem(s.label(), "the replication account " + replUser + " is missing and the manager's account may not create"
                        + " it (no GRANT OPTION): as an administrator, SET sql_log_bin=0; CREATE USER '" + replUser + "'@'%' IDENTIFIED BY"
                        + " '<repl_password>'; GRANT REPLICATION SLAVE ON *.* TO '" + replUser + "'@'%'; or grant the manager's account"
                        + " WITH GRANT OPTION", Optional.empty()));
            }
        }
        for (ServerSnapshot r : others) {
            if (r.replica().filter(x -> x.pointsAt(master.config())).isPresent()) continue;
            GtidSet extra = r.gtid().executed().subtract(master.gtid().executed());
            if (!extra.isEmpty()) {
                problems.add(new Problem(r.label(), "holds transactions the master " + master.label() + " does not have (" + extra
                        + "): its data differs; rebuild it from the master first", Optional.empty()));
            }
            if (r.replica().isPresent()) {
                problems.add(new Problem(r.label(), "replicates from " + r.replica().get().masterId() + ", not from " + master.label()
                        + ": bootstrap does not move existing replication", Optional.empty()));
            }
        }
        if (!problems.isEmpty()) return new Plan(problems, List.of());

        List<Step> steps = new ArrayList<>();
        if (master.readOnly()) steps.add(new Step(master, "SET GLOBAL read_only=0", false));
        for (ServerSnapshot s : all) {
            if (Boolean.TRUE.equals(replUsersExisting.get(s.label()))) continue;
            // on every server, kept out of the binary log: any of them may become master, and no server gets GTIDs of its own
            steps.add(new Step(s, "SET SESSION sql_log_bin=0", false));
            String account = Dialect.quote(replUser) + "@'%'";
            if (s.version().flavor() == Flavor.MYSQL && !s.version().atLeast(5, 7, 6)) {
                // MySQL 5.6 has no CREATE USER IF NOT EXISTS: its GRANT ... IDENTIFIED BY creates the account
                steps.add(new Step(s, "GRANT REPLICATION SLAVE ON *.* TO " + account + " IDENTIFIED BY " + Dialect.quote(replPassword), true));
            } else {
                steps.add(new Step(s, "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + Dialect.quote(replPassword), true));
                steps.add(new Step(s, "GRANT REPLICATION SLAVE ON *.* TO " + account, false));
            }
            steps.add(new Step(s, "SET SESSION sql_log_bin=1", false));
        }
        for (ServerSnapshot r : others) {
            if (r.replica().filter(x -> x.pointsAt(master.config())).isPresent()) continue;
            Dialect d = Dialect.of(r.version());
            String change = d.changeMasterForFormerMaster(master.config().ip(), master.config().port(), replUser, replPassword);
            if (heartbeatSeconds.isPresent()) change = d.withHeartbeatPeriod(change, heartbeatSeconds.get());
            steps.add(new Step(r, "SET GLOBAL read_only=1", false));
            steps.add(new Step(r, change, true));
            steps.add(new Step(r, d.startReplica(), false));
        }
        return new Plan(List.of(), steps);
    }
}
