package org.mha4j.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PauseTest {

    /** A minute's sleep, ended by stop(): the sleeper is back long before the minute is over. */
    @Test
    void stopWakesTheSleepersOfItsFlag() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean other = new AtomicBoolean();
        Thread a = Thread.ofVirtual().start(() -> Pause.sleep(stop, 60_000));
        Thread b = Thread.ofPlatform().start(() -> Pause.sleep(stop, 60_000));
        Thread unrelated = Thread.ofVirtual().start(() -> Pause.sleep(other, 60_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.getState() == Thread.State.WAITING || a.getState() == Thread.State.TIMED_WAITING);
        Pause.stop(stop);
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.isAlive() && !b.isAlive());
        assertThat(unrelated.isAlive()).isTrue();
        Pause.stop(other);
        unrelated.join(10_000);
        assertThat(unrelated.isAlive()).isFalse();
    }

    /** A flag set without stop() (a test, an old caller) is still seen: within a slice, not after the whole sleep. */
    @Test
    void aFlagSetDirectlyEndsTheSleepToo() {
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = Thread.ofVirtual().start(() -> Pause.sleep(stop, 60_000));
        stop.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !t.isAlive());
    }

    @Test
    void anInterruptStopsTheSleepAndSetsTheFlag() {
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> Pause.sleep(stop, 60_000));
        t.interrupt();
        await().atMost(Duration.ofSeconds(10)).until(() -> !t.isAlive());
        assertThat(stop).isTrue();
    }

    @Test
    void aShortSleepLastsItsTime() {
        AtomicBoolean stop = new AtomicBoolean();
        long t0 = System.nanoTime();
        Pause.sleep(stop, 300);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(299);
        assertThat(stop).isFalse();
    }
}
