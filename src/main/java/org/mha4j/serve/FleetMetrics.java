package org.mha4j.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mha4j.failover.FailoverRunner;

/**
 * mha serve's Prometheus metrics. Gauges per application and server are read from the applications' views at each
 * scrape ({@link #scrape}), so a server or application that left stops being reported; counters and histograms are fed
 * by what the managers tell ({@link AppWatch.Outcomes}).
 */
final class FleetMetrics implements AppWatch.Outcomes {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge up = MultiGauge.builder("mha.server.up")
            .description("1 when the server answers (the master: its last check; the others: the last look), else 0").register(registry);
    private final MultiGauge ping = MultiGauge.builder("mha.master.ping").baseUnit("seconds")
            .description("How long the last check of the master took").register(registry);
    private final MultiGauge lag = MultiGauge.builder("mha.replica.lag").baseUnit("seconds")
            .description("Seconds_Behind_Master of each replica whose SQL thread runs").register(registry);
    private final MultiGauge semiSync = MultiGauge.builder("mha.semisync.status")
            .description("1 when semi-sync is on (master: Rpl_semi_sync_master_status; replica: its IO thread is a semi-sync client)")
            .register(registry);
    private final MultiGauge status = MultiGauge.builder("mha.manager.status")
            .description("The manager's status code per application, as masterha_check_status exits (0 PING_OK, 20 PING_FAILING, 50 FAILOVER_RUNNING, ...)")
            .register(registry);
    /** Rpl_semi_sync_master_no_tx of each master, as last seen. */
    private final Map<Tags, AtomicLong> noTx = new ConcurrentHashMap<>();

    FleetMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The Prometheus text format, with every application's gauges read now. */
    String scrape(Collection<AppView> apps) {
        List<MultiGauge.Row<?>> upRows = new ArrayList<>(), pingRows = new ArrayList<>(), lagRows = new ArrayList<>(),
                semiRows = new ArrayList<>(), statusRows = new ArrayList<>();
        for (AppView a : apps) {
            statusRows.add(MultiGauge.Row.of(Tags.of("app", a.name()), statusCode(a.status())));
            for (ServerView s : a.servers()) {
                Tags t = Tags.of("app", a.name(), "server", s.name());
                boolean isMaster = s.hostPort().equals(a.master());
                boolean answers = isMaster ? a.detector().failures() == 0 : s.up();
                upRows.add(MultiGauge.Row.of(t, answers ? 1 : 0));
                if (isMaster && a.detector().lastCheckMillis() != null) pingRows.add(MultiGauge.Row.of(t, a.detector().lastCheckMillis() / 1000.0));
                if (s.lagSeconds() != null) lagRows.add(MultiGauge.Row.of(t, s.lagSeconds()));
                if (s.semiSync() != null && s.up()) semiRows.add(MultiGauge.Row.of(t, "on".equals(s.semiSync()) ? 1 : 0));
                if (s.semiSyncNoTx() != null) noTx(t).set(s.semiSyncNoTx());
            }
        }
        up.register(upRows, true);
        ping.register(pingRows, true);
        lag.register(lagRows, true);
        semiSync.register(semiRows, true);
        status.register(statusRows, true);
        return registry.scrape();
    }

    /** The server's own counter, registered the first time it is seen (it only grows, as a Prometheus counter must). */
    private AtomicLong noTx(Tags t) {
        return noTx.computeIfAbsent(t, k -> {
            AtomicLong v = new AtomicLong();
            FunctionCounter.builder("mha.semisync.no.tx", v, AtomicLong::doubleValue).tags(k)
                    .description("Rpl_semi_sync_master_no_tx: commits no replica acknowledged (semi-sync off or fallen back to async)")
                    .register(registry);
            return v;
        });
    }

    /** masterha_check_status's code; an online switch over the API counts as MHA's FAILOVER_RUNNING (50). */
    private static int statusCode(String status) {
        if (status.equals(AppWatch.SWITCH_RUNNING)) return org.mha4j.monitor.ManagerStatus.FAILOVER_RUNNING.code;
        try {
            return org.mha4j.monitor.ManagerStatus.valueOf(status).code;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    @Override
    public void detected(String app, Duration detection) {
        Timer.builder("mha.detection").description("From the first unanswered check of a master to the verdict that it is dead")
                .tags("app", app).publishPercentileHistogram().register(registry).record(detection);
    }

    @Override
    public void failoverEnded(String app, FailoverRunner.Result result, Duration took) {
        String outcome = result.refusal().isPresent() ? "refused" : switch (result.exitCode()) {
            case 0 -> "done";
            case 10 -> "partial";
            default -> "failed";
        };
        Counter.builder("mha.failovers").description("Automatic failovers, by how they ended").tags("app", app, "result", outcome)
                .register(registry).increment();
        Timer.builder("mha.failover.duration").description("From the verdict that the master is dead to the end of the failover")
                .tags("app", app).publishPercentileHistogram().register(registry).record(took);
    }
}
