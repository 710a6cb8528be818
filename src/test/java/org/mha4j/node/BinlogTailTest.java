package org.mha4j.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinlogTailTest {
    @TempDir
    Path dir;

    private SyntheticBinlog first() {
        return new SyntheticBinlog().fde(10, -1).data(10, -1, 30, 'a').data(10, -1, 30, 'b').rotate(10, -1, "binlog.000002", 4);
    }

    @Test
    void savesFromAPositionThroughLaterFilesWithOneFormatDescriptionInFront() throws Exception {
        SyntheticBinlog a = first();
        a.write(dir.resolve("bin/binlog.000001"));
        new SyntheticBinlog().fde(10, -1).data(10, -1, 50, 'c').write(dir.resolve("bin/binlog.000002"));
        long afterA = a.ends().get(1);
        BinlogTail.Result r = BinlogTail.save(dir.resolve("bin"), "binlog.000001", afterA, dir.resolve("out/saved.binlog"));
        assertThat(r.events()).isEqualTo(2);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.lastFile()).isEqualTo("binlog.000002");
        List<BinlogEvent> saved = BinlogFile.readAll(r.output());
        assertThat(saved).extracting(BinlogEvent::type).containsExactly(BinlogEvent.FORMAT_DESCRIPTION, BinlogEvent.QUERY, BinlogEvent.QUERY);
        assertThat(saved.get(1).size()).isEqualTo(BinlogEvent.HEADER + 30 + 4);
        assertThat(saved.get(2).size()).isEqualTo(BinlogEvent.HEADER + 50 + 4);
    }

    @Test
    void aCutLastEventIsLeftOutWithAWarning() throws Exception {
        SyntheticBinlog a = new SyntheticBinlog().fde(10, -1).data(10, -1, 30, 'a').data(10, -1, 300, 'b');
        byte[] bytes = a.bytes();
        Files.createDirectories(dir.resolve("bin"));
        Files.write(dir.resolve("bin/binlog.000001"), Arrays.copyOf(bytes, bytes.length - 100));
        BinlogTail.Result r = BinlogTail.save(dir.resolve("bin"), "binlog.000001", 4, dir.resolve("saved.binlog"));
        assertThat(r.events()).isEqualTo(1);
        assertThat(r.warnings()).singleElement().asString().contains("the last event is cut").contains("offset " + a.ends().get(1));
        assertThat(BinlogFile.readAll(r.output())).hasSize(2);
    }

    @Test
    void nothingAfterTheStartIsStatusTen() throws Exception {
        SyntheticBinlog a = new SyntheticBinlog().fde(10, -1).data(10, -1, 30, 'a');
        a.write(dir.resolve("bin/binlog.000001"));
        BinlogTail.Result r = BinlogTail.save(dir.resolve("bin"), "binlog.000001", a.ends().getLast(), dir.resolve("saved.binlog"));
        assertThat(r.events()).isZero();
    }

    @Test
    void aStartInsideAnEventOrBeyondTheFileIsRefused() throws Exception {
        SyntheticBinlog a = first();
        a.write(dir.resolve("bin/binlog.000001"));
        long inside = a.ends().get(1) - 5;
        assertThatThrownBy(() -> BinlogTail.save(dir.resolve("bin"), "binlog.000001", inside, dir.resolve("s.binlog")))
                .isInstanceOf(NodeException.class).hasMessageContaining("--start_pos=" + inside + " is inside an event");
        assertThatThrownBy(() -> BinlogTail.save(dir.resolve("bin"), "binlog.000001", 99999, dir.resolve("s.binlog")))
                .isInstanceOf(NodeException.class).hasMessageContaining("beyond the end");
        assertThat(dir.resolve("s.binlog")).doesNotExist();
    }

    @Test
    void aMissingBinlogNamesTheDirectoriesAndTheConfigKey() {
        assertThatThrownBy(() -> BinlogTail.locate(List.of(dir.resolve("a"), dir.resolve("b")), "binlog.000009"))
                .isInstanceOf(NodeException.class).hasMessageContaining("Binlog not found from").hasMessageContaining("master_binlog_dir");
    }
}
