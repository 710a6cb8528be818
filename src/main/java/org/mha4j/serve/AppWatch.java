package org.mha4j.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ServerConfig;
import org.mha4j.failover.FailoverFlags;
import org.mha4j.failover.FailoverRunner;
import org.mha4j.logging.AppLogContext;
import org.mha4j.logging.ManagerLog;
import org.mha4j.manager.Manager;
import org.mha4j.manager.ManagerEvents;
import org.mha4j.monitor.DeathVerdict;
import org.mha4j.monitor.ManagerStatus;
import org.mha4j.monitor.NeedsRejoin;
import org.mha4j.monitor.Pause;
import org.mha4j.monitor.StatusFile;
import org.mha4j.promote.Step;
import org.mha4j.switchover.OnlineSwitch;
import org.mha4j.switchover.SwitchOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application in mha serve: the same manager masterha_manager runs (start checks, monitor, failover phases, status
 * file, manager_log, failover record), on its own threads, plus a look at every server for the API. Nothing it does
 * waits for another application: its threads, connections and log file are its own.
 */
final class AppWatch implements ManagerEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("mha");
    /** The state of an application during an online switch over the API (not one of MHA's). */
    static final String SWITCH_RUNNING = "SWITCH_RUNNING";

    interface Outcomes {
        default void detected(String app, Duration detection) {}

        default void failoverEnded(String app, FailoverRunner.Result result, Duration took) {}
    }

    private final AppConfig app;
    private final ServeOptions options;
    private final Outcomes outcomes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object managerLock = new Object();
    private final ServerPoller poller;
    private final ManagerLog managerLog;
    private AtomicBoolean managerStop;
    private Thread managerThread;
    private Thread pollThread;

    private volatile String master;
    private volatile DetectorView detector = DetectorView.NOT_STARTED;
    private volatile FailoverView failover;
    private volatile Long lastDetectionMillis;
    /** By config block, in the config's order: the full looks replace them, the monitor's samples refresh the replicas. */
    private final java.util.Map<String, ServerView> servers = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private volatile String problem;
    private volatile boolean switching;
    private final java.util.concurrent.locks.ReentrantLock switchLock = new java.util.concurrent.locks.ReentrantLock();
    /** Phases and steps arrive from several threads (the replicas are recovered in parallel): one update at a time. */
    private final Object failoverLock = new Object();

    AppWatch(AppConfig app, ServeOptions options, Outcomes outcomes) {
        this.app = app;
        this.options = options;
        this.outcomes = outcomes;
        this.poller = new ServerPoller(app.servers());
        app.servers().forEach(s -> servers.put(s.block(), ServerPoller.down(s, "not looked at yet", Instant.now())));
        this.managerLog = app.first().managerLog().map(f -> ManagerLog.attachFor(app.appName(), f, app.first().logLevel())).orElse(null);
    }

    String name() {
        return app.appName();
    }

    AppConfig config() {
        return app;
    }

    void start() {
        pollThread = Thread.ofVirtual().name("state-" + name()).start(this::pollLoop);
        startManager();
    }

    private void startManager() {
        synchronized (managerLock) {
            managerStop = new AtomicBoolean();
            AtomicBoolean stop = managerStop;
            managerThread = Thread.ofVirtual().name("manager-" + name()).start(() -> managerLoop(stop));
        }
    }

    /** Runs the manager; when it stops by itself (a failed start check or failover), tries again after the retry delay. */
    private void managerLoop(AtomicBoolean stop) {
        AppLogContext.set(name());
        while (!stop.get()) {
            problem = null;
            int exit;
            try {
                exit = new Manager(Manager.Options.defaults(app.file(), options.globalConf()), stop, this).run();
            } catch (RuntimeException e) {
                log.error("The manager of {} stopped: {}", name(), e.getMessage(), e);
                exit = 1;
            }
            master = null;
            detector = DetectorView.NOT_STARTED;
            if (stop.get()) break;
            problem = "the manager stopped (exit code " + exit + "; its manager_log says why); tried again in "
                    + options.retryDelay().toSeconds() + " s";
            log.warn("{}: {}", name(), problem);
            Pause.sleep(stop, options.retryDelay().toMillis());
        }
    }

    private void pollLoop() {
        AppLogContext.set(name());
        while (!closed.get()) {
            pollNow();
            Pause.sleep(closed, options.stateInterval().toMillis());
        }
    }

    private void pollNow() {
        if (closed.get()) return;
        for (ServerView v : poller.poll(master)) servers.put(v.name(), v);
    }

    AppView view() {
        Optional<StatusFile.Content> status = StatusFile.of(app).read();
        String state = status.map(c -> c.status().name()).orElse(problem != null ? ManagerStatus.CONFIG_ERROR.name() : ManagerStatus.NOT_RUNNING.name());
        if (switching) state = SWITCH_RUNNING;
        List<ServerView> now;
        synchronized (servers) {
            now = List.copyOf(servers.values());
        }
        return new AppView(name(), app.file().toString(), state, master, detector, now, failover, lastDetectionMillis,
                NeedsRejoin.of(app).entries(), problem);
    }

    // ---- what the manager tells ----

    @Override
    public void watching(ServerConfig m, List<ServerConfig> replicas) {
        master = m.id();
        detector = new DetectorView("MASTER_ALIVE", "the start checks passed; checking the master", 0, null, null, null);
        Thread.ofVirtual().start(this::pollNow);
    }

    @Override
    public void checked(boolean answered, long millis, int failures, Optional<Boolean> semiSyncActive) {
        DetectorView d = detector;
        String code = answered ? "MASTER_ALIVE" : "PING_FAILING";
        String reason = answered ? "the master answers its checks" : failures + " check(s) of the master unanswered in a row";
        detector = new DetectorView(code, reason, failures, millis, Instant.now().toString(),
                answered ? semiSyncActive.orElse(null) : d.semiSyncActive());
    }

    @Override
    public void replicaSampled(ServerConfig replica, Optional<org.mha4j.topology.ReplicaStatus> status, String error) {
        servers.computeIfPresent(replica.block(), (k, last) -> ServerPoller.sampled(last, status, error, app.servers(), Instant.now()));
    }

    @Override
    public void judged(DeathVerdict.Verdict v) {
        DetectorView d = detector;
        detector = new DetectorView(v.code().name(), v.reason(), d.failures(), d.lastCheckMillis(), d.lastCheckAt(), d.semiSyncActive());
    }

    @Override
    public void failoverStarted(ServerConfig dead, Duration detection) {
        lastDetectionMillis = detection.toMillis();
        synchronized (failoverLock) {
            failover = new FailoverView(dead.id(), Instant.now().toString(), detection.toMillis(), "", List.of());
        }
        outcomes.detected(name(), detection);
    }

    @Override
    public void phaseEntered(String name) {
        synchronized (failoverLock) {
            FailoverView f = failover;
            if (f != null) failover = new FailoverView(f.master(), f.started(), f.detectionMillis(), name, f.steps());
        }
    }

    @Override
    public void stepEnded(Step step) {
        synchronized (failoverLock) {
            FailoverView f = failover;
            if (f == null) return;
            List<Step> steps = new ArrayList<>(f.steps());
            steps.add(step);
            failover = new FailoverView(f.master(), f.started(), f.detectionMillis(), f.phase(), steps);
        }
    }

    @Override
    public void failoverEnded(ServerConfig dead, FailoverRunner.Result result) {
        FailoverView f = failover;
        Duration took = f == null ? Duration.ZERO : Duration.between(Instant.parse(f.started()), Instant.now());
        failover = null;
        master = null;
        outcomes.failoverEnded(name(), result, took);
        Thread.ofVirtual().start(this::pollNow);
    }

    // ---- what an operator asks over the API ----

    boolean failoverRunning() {
        return failover != null;
    }

    /** The application's managers coordinate through ZooKeeper and this process does not lead it (its status file says so). */
    boolean standby() {
        return StatusFile.of(app).read().map(c -> c.status() == ManagerStatus.STANDBY).orElse(false);
    }

    /** Removes the failover flags that refuse the next failover (MHA's "remove ... and restart"); true if one was there. */
    boolean acknowledgeFailover() {
        boolean present = FailoverFlags.of(Path.of(app.first().managerWorkdir()), name()).clear();
        if (present) log.info("{}: the last failover's flags were removed over the API; the next failover may proceed.", name());
        return present;
    }

    /**
     * An online switch, as {@code masterha_master_switch --master_state=alive}. The manager of this application is
     * stopped for it (as MHA requires) and started again afterwards, whatever the switch's outcome; a dry run only checks
     * and leaves the manager running.
     */
    Optional<OnlineSwitch.Result> onlineSwitch(SwitchOptions o) {
        if (!switchLock.tryLock()) return Optional.empty();
        try {
            return Optional.of(switchNow(o));
        } finally {
            switchLock.unlock();
        }
    }

    private OnlineSwitch.Result switchNow(SwitchOptions o) {
        OnlineSwitch.Result[] out = new OnlineSwitch.Result[1];
        Runnable run = () -> {
            AppLogContext.set(name());
            out[0] = OnlineSwitch.run(app, o);
        };
        if (o.checkOnly()) {
            joinVirtual(run);
            return out[0];
        }
        switching = true;
        try {
            stopManager();
            joinVirtual(run);
        } finally {
            switching = false;
            if (!closed.get()) startManager();
        }
        return out[0];
    }

    private static void joinVirtual(Runnable r) {
        try {
            Thread.ofVirtual().start(r).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopManager() {
        Thread t;
        synchronized (managerLock) {
            if (managerStop != null) Pause.stop(managerStop);
            t = managerThread;
        }
        if (t == null) return;
        try {
            // a failover in progress is finished first: the manager checks its stop flag between phases only
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        Pause.stop(closed);
        stopManager();
        if (pollThread != null) pollThread.interrupt();
        poller.close();
        if (managerLog != null) managerLog.close();
    }
}
