package org.mha4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** CPU time and peak RSS of another process, sampled from /proc until it exits (its numbers vanish with it). */
final class ProcStats {
    static final long TICKS_PER_SECOND = 100;  // USER_HZ on Linux

    private final AtomicLong cpuTicks = new AtomicLong();
    private final AtomicLong peakRssKb = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread sampler;

    static ProcStats watch(long pid) {
        ProcStats s = new ProcStats();
        s.sampler = Thread.ofPlatform().daemon().start(() -> {
            while (s.running.get()) {
                try {
                    s.cpuTicks.set(cpuTicks(pid));
                    long kb = statusKb(pid, "VmHWM:");
                    if (kb >= 0) s.peakRssKb.set(kb);  // an exited, not yet reaped process has no Vm lines
                    Thread.sleep(100);
                } catch (IOException | RuntimeException e) {
                    return;  // the process is gone: the last sample stands
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return s;
    }

    /** utime + stime of {@code pid} now, in ticks of {@link #TICKS_PER_SECOND}. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** A size line of /proc/<pid>/status ({@code VmRSS:}, {@code VmHWM:}) in kB; -1 when it has none. */
    static long statusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    void stop() throws InterruptedException {
        running.set(false);
        sampler.join(1000);
    }

    long cpuMillis() {
        return cpuTicks.get() * 1000 / TICKS_PER_SECOND;
    }

    long peakRssKb() {
        return peakRssKb.get();
    }
}
