package org.mha4j.coordination;

import java.util.Optional;
import org.mha4j.config.AppConfig;
import org.mha4j.failover.Coordination;

/**
 * Whether this manager leads its application: always, when it runs alone (MHA's way); through a ZooKeeper leader
 * election when {@code coordination=zookeeper://...} is set. Only the leader fails over; the others (standbys) watch
 * the same master and take over when the leader's ZooKeeper session ends.
 */
public interface Leadership extends Coordination, AutoCloseable {

    /** @param me this manager's name among the application's managers ({@code host:pid}) */
    static Leadership of(AppConfig app, String me) {
        Optional<String> url = app.first().coordination();
        if (url.isEmpty()) return Solo.INSTANCE;
        return ZkLeadership.join(CoordinationUrl.parse(url.get()), app.first().coordinationSessionTimeout(), app.appName(), me);
    }

    /**
     * The managers (leader and standbys) in the application's election now, for a command run by hand that must not act
     * behind their back: an empty list without coordination; empty when ZooKeeper does not answer within 5 s.
     */
    static Optional<java.util.List<String>> managersOf(AppConfig app) {
        Optional<String> url = app.first().coordination();
        if (url.isEmpty()) return Optional.of(java.util.List.of());
        return ZkLeadership.participants(CoordinationUrl.parse(url.get()), app.first().coordinationSessionTimeout(), app.appName());
    }

    /** This process, as the application's managers name each other. */
    static String thisManager() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /** False for a manager alone: no election, no standby. */
    boolean coordinated();

    /** This manager leads and can prove it now (connected to a ZooKeeper quorum, its epoch taken). */
    boolean leads();

    /** Who leads, for the log and masterha_check_status: {@code this manager}, another's name, or why nobody does. */
    String leaderText();

    /** The failover journal of the application, as ZooKeeper holds it. */
    Optional<FailoverJournal> journal();

    /** Marks a running journal that a successor took over, with what it decided. */
    void takenOver(FailoverJournal j, Takeover.Verdict v);

    /** Told when leadership or the connection changes (to write the status file again). */
    void onChange(Runnable r);

    @Override
    void close();
}
