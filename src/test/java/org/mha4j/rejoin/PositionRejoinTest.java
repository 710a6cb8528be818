package org.mha4j.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mha4j.topology.BinlogPosition;

class PositionRejoinTest {

    private static PositionRejoin.Event e(String file, long pos, String type) {
        return new PositionRejoin.Event(file, pos, type, "");
    }

    @Test
    void whatARestartOrARotationWritesIsNoDataEverythingElseIs() {
        List<PositionRejoin.Event> restart = List.of(e("binlog.000003", 120, "Stop"), e("binlog.000004", 4, "Format_desc"),
                e("binlog.000004", 120, "Previous_gtids"), e("binlog.000004", 151, "Rotate"), e("binlog.000005", 4, "Gtid_list"),
                e("binlog.000005", 40, "Binlog_checkpoint"));
        assertThat(PositionRejoin.data(restart)).isEmpty();
        List<PositionRejoin.Event> write = List.of(e("binlog.000004", 4, "Format_desc"), e("binlog.000004", 120, "Query"),
                e("binlog.000004", 190, "Table_map"), e("binlog.000004", 240, "Write_rows"), e("binlog.000004", 290, "Xid"));
        assertThat(PositionRejoin.data(write)).extracting(PositionRejoin.Event::type).containsExactly("Query", "Table_map", "Write_rows", "Xid");
    }

    @Test
    void recordedPositionsParseBackAndNothingElseDoes() {
        assertThat(PositionRejoin.parse("binlog.000012:4711")).isEqualTo(new BinlogPosition("binlog.000012", 4711));
        assertThat(PositionRejoin.parse("my:odd.000001:120")).isEqualTo(new BinlogPosition("my:odd.000001", 120));
        assertThatThrownBy(() -> PositionRejoin.parse("binlog.000012")).hasMessageContaining("file:pos");
    }
}
