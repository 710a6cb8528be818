package org.mha4j.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinlogFileTest {
    @TempDir
    Path dir;

    private static SyntheticBinlog sample() {
        return new SyntheticBinlog().fde(10, -1).data(10, -1, 40, 'a').data(10, -1, 300, 'b').rotate(10, -1, "binlog.000002", 4);
    }

    @Test
    void readsEveryEventWithItsOffsetsAndTheRotateTarget() throws Exception {
        SyntheticBinlog b = sample();
        List<BinlogEvent> events = BinlogFile.readAll(b.write(dir.resolve("binlog.000001")));
        assertThat(events).extracting(BinlogEvent::end).containsExactlyElementsOf(b.ends());
        assertThat(events).extracting(BinlogEvent::logPos).containsExactlyElementsOf(b.ends());
        assertThat(events.getFirst().isFormatDescription()).isTrue();
        assertThat(events.getFirst().checksummed()).isTrue();
        assertThat(events.getLast().rotateFile()).isEqualTo("binlog.000002");
        assertThat(events.getLast().rotatePosition()).isEqualTo(4);
    }

    @Test
    void aDamagedEventIsReportedWithFileAndOffset() throws Exception {
        SyntheticBinlog b = sample();
        byte[] bytes = b.bytes();
        int second = (int) (long) b.ends().getFirst();
        bytes[second + BinlogEvent.HEADER + 5] ^= 0x40;
        Path f = Files.write(dir.resolve("binlog.000001"), bytes);
        assertThatThrownBy(() -> BinlogFile.readAll(f)).isInstanceOf(BinlogCorruption.class)
                .hasMessageContaining("binlog.000001 at offset " + second).hasMessageContaining("checksum mismatch");
    }

    @Test
    void withoutChecksumsNothingIsVerified() throws Exception {
        SyntheticBinlog b = new SyntheticBinlog().withoutChecksums().fde(10, -1).data(10, -1, 20, 'x');
        List<BinlogEvent> events = BinlogFile.readAll(b.write(dir.resolve("binlog.000001")));
        assertThat(events).hasSize(2);
        assertThat(events.get(1).checksummed()).isFalse();
    }

    @Test
    void notABinlog() throws Exception {
        Path f = Files.writeString(dir.resolve("binlog.000001"), "hello world");
        assertThatThrownBy(() -> BinlogFile.readAll(f)).isInstanceOf(BinlogCorruption.class).hasMessageContaining("not a binary log");
    }

    @Property(tries = 200)
    void aFileCutAnywhereYieldsExactlyTheWholeEventsBeforeTheCut(@ForAll @IntRange(min = 4, max = 2000) int cut) throws Exception {
        SyntheticBinlog b = new SyntheticBinlog().fde(10, -1);
        for (int i = 0; i < 12; i++) b.data(10, -1, 20 + 13 * i, 'a' + i);
        byte[] all = b.bytes();
        int length = Math.min(cut, all.length);
        // jqwik does not inject @TempDir
        Path f = Files.createTempFile("binlog", ".000001");
        Files.write(f, Arrays.copyOf(all, length));
        try {
            checkCut(f, b, length);
        } finally {
            Files.delete(f);
        }
    }

    private static void checkCut(Path f, SyntheticBinlog b, int length) throws Exception {
        long whole = b.ends().stream().filter(e -> e <= length).count();
        try (BinlogFile in = BinlogFile.open(f)) {
            int n = 0;
            while (in.next().isPresent()) n++;
            assertThat(n).isEqualTo(whole);
            boolean atBoundary = length == 4 || b.ends().contains((long) length);
            assertThat(in.truncation().isPresent()).isEqualTo(!atBoundary);
            in.truncation().ifPresent(t -> assertThat(t.offset() + t.have()).isEqualTo(length));
        }
    }
}
