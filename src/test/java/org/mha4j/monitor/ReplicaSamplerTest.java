package org.mha4j.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mha4j.topology.Heartbeat;

/** Where a replica's silence begins: the sample the verdict measures it from. */
class ReplicaSamplerTest {

    private static DeathVerdict.ReplicaSample at(long ms, boolean connected, String read, long heartbeats) {
        return new DeathVerdict.ReplicaSample("server2", true, connected, read, Optional.of(new Heartbeat(0.5, heartbeats)), ms);
    }

    /** Samples one check apart: the master stops sending after the second; the silence is counted from the third. */
    @Test
    void theSilenceBeginsAtTheFirstSampleAfterTheLastThingReceived() {
        DeathVerdict.ReplicaSample since = null;
        since = ReplicaSampler.since(since, at(0, true, "b.1:100", 7));
        since = ReplicaSampler.since(since, at(1000, true, "b.1:100", 9));   // two heartbeats
        assertThat(since.atMillis()).isEqualTo(1000);
        since = ReplicaSampler.since(since, at(2000, true, "b.1:400", 9));   // an event
        assertThat(since.atMillis()).isEqualTo(2000);
        since = ReplicaSampler.since(since, at(3000, true, "b.1:400", 9));   // nothing since
        since = ReplicaSampler.since(since, at(4000, true, "b.1:400", 9));
        assertThat(since.atMillis()).isEqualTo(2000);
        DeathVerdict.ReplicaSample now = at(4000, true, "b.1:400", 9);
        assertThat(DeathVerdict.view(Optional.of(since), now)).isEqualTo(DeathVerdict.ReplicaView.SILENT);
        // measured from the latest sample alone the same replica would still count as receiving
        assertThat(DeathVerdict.view(Optional.of(at(3500, true, "b.1:400", 9)), now)).isEqualTo(DeathVerdict.ReplicaView.RECEIVING);
    }

    /** A look whose sample moved since the state before it: receiving at once, with nothing to wait for. */
    @Test
    void aLookThatSawSomethingArriveIsReceivingWithoutAWait() {
        DeathVerdict.ReplicaSample before = at(0, true, "b.1:100", 7);
        ReplicaSampler.Look moved = new ReplicaSampler.Look(Optional.of(before), at(300, true, "b.1:100", 8));
        assertThat(moved.moreTimeNeeded(0)).isZero();
        assertThat(moved.view(0)).isEqualTo(DeathVerdict.ReplicaView.RECEIVING);
        ReplicaSampler.Look still = new ReplicaSampler.Look(Optional.of(before), at(300, true, "b.1:100", 7));
        assertThat(still.moreTimeNeeded(0)).isEqualTo(950);
        assertThat(still.view(0)).isEqualTo(DeathVerdict.ReplicaView.RECEIVING);
    }

    @Test
    void aReplicaThatStopsAnsweringOrDisconnectsStartsAgain() {
        DeathVerdict.ReplicaSample since = ReplicaSampler.since(null, at(0, true, "b.1:100", 7));
        DeathVerdict.ReplicaSample gone = DeathVerdict.ReplicaSample.unreachable("server2", 1000);
        assertThat(ReplicaSampler.since(since, gone)).isSameAs(gone);
        DeathVerdict.ReplicaSample back = at(2000, true, "b.1:100", 7);
        assertThat(ReplicaSampler.since(gone, back)).isSameAs(back);
        DeathVerdict.ReplicaSample ioStopped = at(3000, false, "b.1:100", 7);
        assertThat(ReplicaSampler.since(back, ioStopped)).isSameAs(ioStopped);
        // replication restarted: the heartbeat count starts again from 0
        DeathVerdict.ReplicaSample restarted = at(4000, true, "b.1:100", 0);
        assertThat(ReplicaSampler.since(ioStopped, restarted)).isSameAs(restarted);
    }

    /** The monitor's floor: a lossy link stalls a stream for a second now and then; the silence must outlast the checks. */
    @Test
    void aSilenceShorterThanTheFloorIsNotSilentWhateverTheHeartbeat() {
        DeathVerdict.ReplicaSample before = at(0, true, "b.1:100", 7);
        ReplicaSampler.Look stalled = new ReplicaSampler.Look(Optional.of(before), at(1500, true, "b.1:100", 7));
        assertThat(stalled.view(2000)).isEqualTo(DeathVerdict.ReplicaView.RECEIVING);
        assertThat(stalled.moreTimeNeeded(2000)).isEqualTo(500);
        assertThat(stalled.view(1250)).isEqualTo(DeathVerdict.ReplicaView.SILENT);
        assertThat(new ReplicaSampler.Look(Optional.of(before), at(2000, true, "b.1:100", 7)).view(2000))
                .isEqualTo(DeathVerdict.ReplicaView.SILENT);
    }
}
