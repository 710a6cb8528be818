package org.mha4j.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mha4j.topology.BinlogPosition;

/**
 * Relay logs laid out as a MariaDB replica (server_id 20) writes them for a master (server_id 10): its own
 * Format_description, the master's fake Rotate and Format_description, events carrying the master's end positions,
 * its own Rotate to the next relay log, and the master's real Rotate to its next binlog.
 */
class RelayDiffTest {
    @TempDir
    Path dir;
    List<Path> relayLogs;

    @BeforeEach
    void relayLogs() throws Exception {
        Path r1 = new SyntheticBinlog().fde(20, -1).rotate(10, 0, "binlog.000001", 325).fde(10, 0)
                .data(10, 400, 30, 'a').data(10, 480, 30, 'b').rotate(20, -1, "relay.000002", 4)
                .write(dir.resolve("relay.000001"));
        Path r2 = new SyntheticBinlog().fde(20, -1).data(10, 560, 30, 'c').rotate(10, 600, "binlog.000002", 4)
                .fde(10, 256).data(10, 300, 20, 'd')
                .write(dir.resolve("relay.000002"));
        relayLogs = BinlogSeries.upTo(dir, "relay.000002");
        assertThat(relayLogs).containsExactly(r1, r2);
    }

    private List<Integer> dataSizes(Path f) throws Exception {
        return BinlogFile.readAll(f).stream().filter(e -> !e.isFormatDescription()).map(e -> (int) e.size() - BinlogEvent.HEADER - 4).toList();
    }

    @Test
    void findsTheEventEndingAtTheTargetAndWhereTheRelayLogsEnd() throws Exception {
        RelayDiff.Found f = RelayDiff.find(relayLogs, 20, new BinlogPosition("binlog.000001", 400), Optional.empty());
        assertThat(f.start()).isPresent();
        assertThat(f.start().get().fileIndex()).isZero();
        assertThat(f.end()).contains(new BinlogPosition("binlog.000002", 300));
        assertThat(RelayDiff.find(relayLogs, 20, new BinlogPosition("binlog.000001", 401), Optional.empty()).start()).isEmpty();
    }

    @Test
    void theDifferenceHoldsEveryLaterDataEventAcrossRelayLogsAndMasterBinlogs() throws Exception {
        RelayDiff.Result r = RelayDiff.generate(relayLogs, 20, new BinlogPosition("binlog.000001", 400),
                new BinlogPosition("binlog.000002", 300), dir.resolve("diff.binlog"));
        assertThat(r.events()).isEqualTo(3);
        List<BinlogEvent> events = BinlogFile.readAll(r.output());
        assertThat(events.subList(0, 2)).allMatch(BinlogEvent::isFormatDescription);
        assertThat(events.get(1).serverId()).as("the master's Format_description is the last one in front").isEqualTo(10);
        assertThat(dataSizes(r.output())).containsExactly(30, 30, 20);
    }

    @Test
    void aReplicaJustAfterTheMastersRotateIsFoundInEitherFilesTerms() throws Exception {
        for (BinlogPosition at : List.of(new BinlogPosition("binlog.000001", 600), new BinlogPosition("binlog.000002", 4))) {
            RelayDiff.Result r = RelayDiff.generate(relayLogs, 20, at, new BinlogPosition("binlog.000002", 300), dir.resolve("d.binlog"));
            assertThat(dataSizes(r.output())).as("from " + at).containsExactly(20);
        }
    }

    @Test
    void aReplicaThatHasEverythingGetsAnEmptyDifference() throws Exception {
        RelayDiff.Result r = RelayDiff.generate(relayLogs, 20, new BinlogPosition("binlog.000002", 300),
                new BinlogPosition("binlog.000002", 300), dir.resolve("d.binlog"));
        assertThat(r.events()).isZero();
    }

    @Test
    void relayLogsThatDoNotEndWhereTheServerSaidAreRefused() {
        assertThatThrownBy(() -> RelayDiff.generate(relayLogs, 20, new BinlogPosition("binlog.000001", 400),
                new BinlogPosition("binlog.000002", 900), dir.resolve("d.binlog")))
                .isInstanceOf(NodeException.class).hasMessageContaining("end at master position binlog.000002:300")
                .hasMessageContaining("reported binlog.000002:900");
        assertThat(dir.resolve("d.binlog")).doesNotExist();
    }

    @Test
    void aPositionThatIsNoLongerInTheRelayLogsIsRefused() {
        assertThatThrownBy(() -> RelayDiff.generate(relayLogs, 20, new BinlogPosition("binlog.000001", 250),
                new BinlogPosition("binlog.000002", 300), dir.resolve("d.binlog")))
                .isInstanceOf(NodeException.class).hasMessageContaining("binlog.000001:250 is not in the relay logs")
                .hasMessageContaining("relay_log_purge=0");
    }

    @Test
    void mergedFilesKeepOnlyTheFirstFilesFormatDescriptions() throws Exception {
        RelayDiff.Result diff = RelayDiff.generate(relayLogs, 20, new BinlogPosition("binlog.000001", 480),
                new BinlogPosition("binlog.000002", 300), dir.resolve("diff.binlog"));
        Path saved = new SyntheticBinlog().fde(10, -1).data(10, -1, 77, 'z').write(dir.resolve("saved.binlog"));
        DiffApplier.Merged m = DiffApplier.merge(List.of(diff.output(), saved), dir.resolve("merged.binlog"));
        assertThat(m.events()).isEqualTo(3);
        List<BinlogEvent> events = BinlogFile.readAll(m.file());
        assertThat(events.stream().filter(BinlogEvent::isFormatDescription).count()).isEqualTo(2);
        assertThat(dataSizes(m.file())).containsExactly(30, 20, 77);
    }

    /** After FLUSH RELAY LOGS, or once purge_relay_logs removed the older ones, no Rotate from the master names the file. */
    @Test
    void relayLogsWithoutTheMastersRotateTakeTheFileFromTheNextRealRotateOrFromWhereTheyEnd() throws Exception {
        Path flushed = dir.resolve("b");
        new SyntheticBinlog().fde(20, -1).fde(10, 0).data(10, 700, 30, 'a').data(10, 780, 30, 'b').write(flushed.resolve("relay.000005"));
        List<Path> one = BinlogSeries.upTo(flushed, "relay.000005");
        RelayDiff.Result r = RelayDiff.generate(one, 20, new BinlogPosition("binlog.000003", 700), new BinlogPosition("binlog.000003", 780),
                dir.resolve("d1.binlog"));
        assertThat(dataSizes(r.output())).containsExactly(30);

        new SyntheticBinlog().fde(20, -1).fde(10, 0).data(10, 900, 40, 'c').rotate(10, 950, "binlog.000004", 4).fde(10, 256)
                .data(10, 300, 50, 'd').write(flushed.resolve("relay.000006"));
        List<Path> two = BinlogSeries.upTo(flushed, "relay.000006");
        RelayDiff.Result r2 = RelayDiff.generate(two, 20, new BinlogPosition("binlog.000003", 780), new BinlogPosition("binlog.000004", 300),
                dir.resolve("d2.binlog"));
        assertThat(dataSizes(r2.output())).as("the events before binlog.000004's Rotate are binlog.000003's").containsExactly(40, 50);
        assertThat(RelayDiff.predecessor("binlog.000010")).isEqualTo("binlog.000009");
        assertThat(RelayDiff.predecessor("mysql-bin.1000000")).isEqualTo("mysql-bin.999999");
    }
}
