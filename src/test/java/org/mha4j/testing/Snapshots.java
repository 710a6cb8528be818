package org.mha4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigLoader;
import org.mha4j.config.ServerConfig;
import org.mha4j.topology.BinlogFilters;
import org.mha4j.topology.ClockReading;
import org.mha4j.topology.ConnectFailure;
import org.mha4j.topology.GtidSet;
import org.mha4j.topology.GtidState;
import org.mha4j.topology.ReplicaStatus;
import org.mha4j.topology.ReplicationFilters;
import org.mha4j.topology.SemiSyncNames;
import org.mha4j.topology.SemiSyncState;
import org.mha4j.topology.ServerProbe;
import org.mha4j.topology.ServerSnapshot;
import org.mha4j.topology.ServerVersion;
import org.mha4j.topology.Topology;

/** Hand-built topologies for the pure checks: a MariaDB master (server1) and replicas, each attribute overridable. */
public final class Snapshots {
    private Snapshots() {}

    public static final ServerVersion MARIADB = ServerVersion.parse("10.11.19-MariaDB-log", "Debian");

    public static AppConfig config(String text) {
        try {
            Path dir = Files.createTempDirectory("mha4j-check");
            Path f = dir.resolve("app1.conf");
            Files.writeString(f, text);
            Path global = Files.writeString(dir.resolve("empty-global.cnf"), "");
            return ConfigLoader.load(f, global);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AppConfig threeServers(String extraPerServer) {
        StringBuilder sb = new StringBuilder("[server default]\nuser=mha\npassword=s3cret\nrepl_user=repl\n");
        for (int i = 1; i <= 3; i++) {
            sb.append("[server").append(i).append("]\nhostname=10.0.0.").append(i).append("\nport=3306\n");
            if (extraPerServer != null) sb.append(extraPerServer).append('\n');
        }
        return config(sb.toString());
    }

    /** A mutable description of one server, turned into a record by {@link #snapshot}. */
    public static final class S {
        public ServerConfig cfg;
        public long serverId;
        public boolean readOnly = true, logBin = true, logSlaveUpdates = true;
        public String binlogFormat = "ROW";
        public String executed = "";
        /** What the IO thread received (Gtid_IO_Pos); null: the same as executed. */
        public String received;
        public String masterHost = "10.0.0.1";
        public int masterPort = 3306;
        public boolean replica = true;
        public ReplicaStatus.ThreadState io = ReplicaStatus.ThreadState.YES;
        public boolean sql = true;
        public Long lag = 0L;
        public int ioErrno, sqlErrno;
        public String ioError = "", sqlError = "";
        public String usingGtid = "Slave_Pos";
        /** Master_Log_File / Read_Master_Log_Pos, and Relay_Master_Log_File / Exec_Master_Log_Pos. */
        public String masterLogFile = "binlog.000001", relayMasterLogFile = "binlog.000001";
        public long readPos = 100, execPos = 100;
        public Map<String, String> variables = Map.of();
        public ReplicationFilters filters = ReplicationFilters.NONE;
        public BinlogFilters binlogFilters = BinlogFilters.NONE;
        public boolean semiMaster;
        public ServerVersion version = MARIADB;
        public ClockReading clock = new ClockReading(0, 1);

        public ServerSnapshot snapshot() {
            Optional<ReplicaStatus> r = replica ? Optional.of(new ReplicaStatus(masterHost, masterPort, "repl", io, sql,
                    lag == null ? OptionalLong.empty() : OptionalLong.of(lag), ioErrno, ioError, sqlErrno, sqlError,
                    masterLogFile, readPos, relayMasterLogFile, execPos, usingGtid, received == null ? executed : received, Optional.of(executed), filters))
                    : Optional.empty();
            return new ServerSnapshot(cfg, version, serverId, Optional.empty(), logBin, logSlaveUpdates, readOnly,
                    Optional.empty(), binlogFormat, new GtidState(true, "ON", GtidSet.parse(version.flavor(), executed)),
                    r, binlogFilters, new SemiSyncState(true, SemiSyncNames.MARIADB, semiMaster, true,
                    Optional.of(semiMaster), Optional.of(!semiMaster), OptionalLong.of(2), OptionalLong.empty(), OptionalLong.empty(),
                    OptionalLong.empty(), OptionalLong.of(10000), Optional.of("AFTER_SYNC"), OptionalLong.empty()), variables,
                    clock == null ? Optional.empty() : Optional.of(clock));
        }
    }

    /** Healthy defaults: server1 master (writable, not a replica), the others its read-only GTID replicas. */
    public static List<S> healthy(AppConfig app) {
        List<S> out = new ArrayList<>();
        for (int i = 0; i < app.servers().size(); i++) {
            S s = new S();
            s.cfg = app.servers().get(i);
            s.serverId = 10L * (i + 1);
            s.executed = "0-10-100";
            if (i == 0) {
                s.replica = false;
                s.readOnly = false;
                s.semiMaster = true;
            }
            out.add(s);
        }
        return out;
    }

    public static Topology topology(AppConfig app, List<S> servers) {
        return new Topology(app, servers.stream().map(s -> (ServerProbe) new ServerProbe.Alive(s.snapshot())).toList());
    }

    public static Topology withUnreachable(AppConfig app, List<S> servers, int index, ConnectFailure failure) {
        List<ServerProbe> probes = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            probes.add(i == index ? new ServerProbe.Unreachable(servers.get(i).cfg, failure)
                    : new ServerProbe.Alive(servers.get(i).snapshot()));
        }
        return new Topology(app, probes);
    }
}
