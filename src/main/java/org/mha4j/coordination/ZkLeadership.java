package org.mha4j.coordination;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.mha4j.config.ServerConfig;
import org.mha4j.failover.Coordination;
import org.mha4j.failover.FailoverRunner;
import org.mha4j.logging.AppLogContext;
import org.mha4j.promote.Refusal;
import org.mha4j.promote.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application's managers elect a leader with Curator's {@link LeaderLatch} under
 * {@code <path>/apps/<app>/leader}. A new leader takes the next epoch (the version of {@code .../epoch}, which it
 * writes); before every change to a server it proves, in a ZooKeeper transaction that goes through the quorum, that
 * the epoch is still its own, so that a leader cut off from ZooKeeper, or one that was replaced, changes nothing.
 * The failover journal ({@code .../failover}) and the last completed failover ({@code .../last_failover}) are JSON.
 */
final class ZkLeadership implements Leadership {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private final CoordinationUrl url;
    private final Duration sessionTimeout;
    private final String app;
    private final String me;
    private final CuratorFramework client;
    private final LeaderLatch latch;
    private final String epochPath;
    private final String journalPath;
    private final String lastPath;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener;
    private final String logApp;
    private volatile ConnectionState state = ConnectionState.LOST;
    private volatile Instant stateSince = Instant.now();
    private volatile int epoch = -1;
    private volatile FailoverJournal journal;

    private ZkLeadership(CoordinationUrl url, Duration sessionTimeout, String app, String me, CuratorFramework client) {
        this.url = url;
        this.sessionTimeout = sessionTimeout;
        this.app = app;
        this.me = me;
        this.client = client;
        this.logApp = AppLogContext.current().orElse(null);
        String base = "/apps/" + app;
        this.epochPath = base + "/epoch";
        this.journalPath = base + "/failover";
        this.lastPath = base + "/last_failover";
        this.latch = new LeaderLatch(client, base + "/leader", me, LeaderLatch.CloseMode.NOTIFY_LEADER);
        this.connectionListener = (c, s) -> inAppLog(() -> connectionChanged(s));
    }

    static ZkLeadership join(CoordinationUrl url, Duration sessionTimeout, String app, String me) {
        CuratorFramework client = ZkClients.acquire(url, sessionTimeout);
        ZkLeadership z = new ZkLeadership(url, sessionTimeout, app, me, client);
        if (client.getZookeeperClient().isConnected()) z.state = ConnectionState.CONNECTED;
        client.getConnectionStateListenable().addListener(z.connectionListener);
        z.latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                Thread.ofVirtual().name("zk-epoch-" + app).start(() -> z.inAppLog(z::takeEpoch));
            }

            @Override
            public void notLeader() {
                z.inAppLog(z::lostLeadership);
            }
        });
        try {
            z.latch.start();
        } catch (Exception e) {
            ZkClients.release(client);
            throw new IllegalStateException("cannot join the leader election in " + url + ": " + e.getMessage(), e);
        }
        log.info("Coordination: {} joins the managers of {} in ZooKeeper {} (session timeout {} s).", me, app, url,
                sessionTimeout.toSeconds());
        return z;
    }

    static Optional<List<String>> participants(CoordinationUrl url, Duration sessionTimeout, String app) {
        CuratorFramework client = ZkClients.acquire(url, sessionTimeout);
        try {
            if (!client.blockUntilConnected(5, java.util.concurrent.TimeUnit.SECONDS)) return Optional.empty();
            String path = "/apps/" + app + "/leader";
            if (client.checkExists().forPath(path) == null) return Optional.of(List.of());
            List<String> out = new java.util.ArrayList<>();
            for (String child : client.getChildren().forPath(path)) {
                try {
                    out.add(new String(client.getData().forPath(path + "/" + child), StandardCharsets.UTF_8));
                } catch (KeeperException.NoNodeException gone) {
                    // that manager left meanwhile
                }
            }
            return Optional.of(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            log.warn("Coordination: cannot list the managers of {} in ZooKeeper {}: {}", app, url, e.getMessage());
            return Optional.empty();
        } finally {
            ZkClients.release(client);
        }
    }

    /** Curator's threads do not carry mha serve's application: its log lines go to this application's manager_log. */
    private void inAppLog(Runnable r) {
        if (logApp == null) {
            r.run();
            return;
        }
        Optional<String> before = AppLogContext.current();
        AppLogContext.set(logApp);
        try {
            r.run();
        } finally {
            AppLogContext.set(before.orElse(null));
        }
    }

    private void connectionChanged(ConnectionState s) {
        state = s;
        stateSince = Instant.now();
        switch (s) {
            case CONNECTED, RECONNECTED -> log.info("Coordination: connected to ZooKeeper {}.", url);
            case SUSPENDED -> log.warn("Coordination: no answer from ZooKeeper {}: this manager changes no server until it answers"
                    + " (its leadership ends if the session does, {} s after the last answer).", url, sessionTimeout.toSeconds());
            case LOST -> log.warn("Coordination: the ZooKeeper session of {} ended: no failover by this manager until it leads again.", me);
            default -> { }
        }
        fire();
    }

    private void takeEpoch() {
        while (latch.hasLeadership()) {
            try {
                try {
                    client.create().creatingParentsIfNeeded().forPath(epochPath, bytes(me));
                } catch (KeeperException.NodeExistsException exists) {
                    // the usual case: earlier leaders wrote it
                }
                Stat st = client.setData().forPath(epochPath, bytes(me));
                epoch = st.getVersion();
                log.info("Coordination: this manager ({}) now leads {} (epoch {}).", me, app, epoch);
                fire();
                return;
            } catch (Exception e) {
                log.warn("Coordination: cannot take the next epoch of {} ({}); retrying.", app, e.getMessage());
                sleep(500);
            }
        }
    }

    private void lostLeadership() {
        epoch = -1;
        log.warn("Coordination: this manager ({}) no longer leads {}.", me, app);
        fire();
    }

    private void fire() {
        for (Runnable r : listeners) r.run();
    }

    @Override
    public boolean coordinated() {
        return true;
    }

    @Override
    public boolean leads() {
        return epoch >= 0 && latch.hasLeadership() && connected();
    }

    private boolean connected() {
        return state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED;
    }

    @Override
    public String leaderText() {
        if (leads()) return "this manager (" + me + ", epoch " + epoch + ")";
        if (!connected()) return "unknown: ZooKeeper " + url + " does not answer this manager (" + state + " since " + stateSince + ")";
        try {
            Participant p = latch.getLeader();
            return p.isLeader() ? p.getId() : "nobody yet (an election is running)";
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    @Override
    public void ensureLeader() throws Refusal {
        if (!latch.hasLeadership()) throw notLeader("another manager leads " + app + ": " + leaderText());
        if (!connected()) {
            log.warn("Coordination: ZooKeeper does not answer; waiting up to {} s before the next change.", sessionTimeout.toSeconds());
            long deadline = System.nanoTime() + sessionTimeout.toNanos();
            while (!connected()) {
                if (!latch.hasLeadership() || state == ConnectionState.LOST) throw notLeader("this manager's ZooKeeper session ended");
                if (System.nanoTime() > deadline) throw notLeader("ZooKeeper " + url + " did not answer for " + sessionTimeout.toSeconds() + " s");
                sleep(100);
            }
        }
        int mine = epoch;
        if (mine < 0 || !latch.hasLeadership()) throw notLeader("this manager's leadership of " + app + " ended");
        try {
            client.transaction().forOperations(client.transactionOp().check().withVersion(mine).forPath(epochPath));
        } catch (KeeperException.BadVersionException e) {
            throw notLeader("another manager took the lead of " + app + " (its epoch is no longer " + mine + ")");
        } catch (Exception e) {
            throw notLeader("cannot prove the leadership of " + app + " in ZooKeeper " + url + ": " + e.getMessage());
        }
    }

    private Refusal notLeader(String why) {
        return new Refusal(Refusal.Code.NOT_LEADER, why + "; this manager changes nothing more");
    }

    @Override
    public Optional<Coordination.Last> lastCompleted() {
        try {
            byte[] data = client.getData().forPath(lastPath);
            return data.length == 0 ? Optional.empty() : Optional.of(JournalJson.last(data));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            log.warn("Coordination: cannot read the last failover of {} from ZooKeeper ({}); this host's own record still counts.", app,
                    e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void started(ServerConfig dead) {
        journal = new FailoverJournal(me, epoch, dead.id(), Instant.now().toString(), FailoverJournal.RUNNING, null, List.of(), null, null);
        write(journalPath, journal, true);
    }

    /** Submitted under the lock: steps end on parallel threads, and a later journal must never be overwritten by an earlier one. */
    @Override
    public synchronized void stepEnded(Step step) {
        if (journal == null) return;
        journal = journal.withStep(step);
        write(journalPath, journal, false);
    }

    @Override
    public void ended(ServerConfig dead, FailoverRunner.Result result) {
        FailoverJournal j;
        synchronized (this) {
            if (journal == null) return;
            j = journal;
            journal = null;
        }
        // a manager that lost the lead leaves the journal running: its successor takes the failover over from it
        if (result.refusal().filter(c -> c == Refusal.Code.NOT_LEADER).isPresent()) return;
        boolean done = result.exitCode() == 0 || result.exitCode() == 10;
        j = j.ended(done ? FailoverJournal.COMPLETED : FailoverJournal.FAILED, result.newMaster().map(ServerConfig::id).orElse(null),
                Instant.now().toString());
        if (done) write(lastPath, new Coordination.Last(Instant.now().toString(), dead.id(), j.newMaster(), me), true);
        write(journalPath, j, true);
    }

    @Override
    public Optional<FailoverJournal> journal() {
        if (!connected()) return Optional.empty();
        try {
            byte[] data = client.getData().forPath(journalPath);
            return data.length == 0 ? Optional.empty() : Optional.of(JournalJson.journal(data));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            log.warn("Coordination: cannot read the failover journal of {} from ZooKeeper: {}", app, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void takenOver(FailoverJournal j, Takeover.Verdict v) {
        write(journalPath, j.takenOver(me, v.code() == Takeover.Code.RERUN, Instant.now().toString()), true);
    }

    /**
     * The journal follows the failover without slowing it: a step's write goes in the background (one session keeps
     * their order) onto the node the first, waited-for write created; the first and the last are waited for. Each write
     * is a transaction that checks this manager's epoch first: a manager that lost the lead can no longer overwrite its
     * successor's journal.
     */
    private void write(String path, FailoverJournal j, boolean sync) {
        try {
            write(path, JournalJson.write(j), sync);
        } catch (java.io.IOException e) {
            log.warn("Coordination: cannot render the journal of {}: {}", app, e.getMessage());
        }
    }

    private void write(String path, Coordination.Last l, boolean sync) {
        try {
            write(path, JournalJson.write(l), sync);
        } catch (java.io.IOException e) {
            log.warn("Coordination: cannot render the last failover of {}: {}", app, e.getMessage());
        }
    }

    private void write(String path, byte[] data, boolean sync) {
        int mine = epoch;
        if (!connected() || mine < 0) {
            if (sync) log.warn("Coordination: this manager cannot write {} to ZooKeeper now (it does not lead, or ZooKeeper does not answer);"
                    + " the record stays in manager_workdir.", path);
            return;
        }
        try {
            var ops = List.of(client.transactionOp().check().withVersion(mine).forPath(epochPath),
                    client.transactionOp().setData().forPath(path, data));
            if (!sync) {
                client.transaction().inBackground().forOperations(ops);
                return;
            }
            if (client.checkExists().forPath(path) == null) client.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
            client.transaction().forOperations(ops);
        } catch (KeeperException.BadVersionException e) {
            log.warn("Coordination: {} not written: another manager leads {} now.", path, app);
        } catch (Exception e) {
            log.warn("Coordination: cannot write {} to ZooKeeper ({}); the failover goes on, its record stays in manager_workdir.",
                    path, e.getMessage());
        }
    }

    @Override
    public void onChange(Runnable r) {
        listeners.add(r);
    }

    @Override
    public void close() {
        try {
            latch.close();
        } catch (Exception e) {
            log.debug("closing the leader latch of {}: {}", app, e.getMessage());
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        ZkClients.release(client);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
