package org.mha4j.coordination;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.RetryNTimes;

/**
 * One ZooKeeper client (one session) per ensemble, path and session timeout in this process: mha serve's applications
 * on one ensemble share it, as they share the process's fate.
 */
final class ZkClients {
    private record Key(CoordinationUrl url, Duration sessionTimeout) {}

    private static final class Held {
        final CuratorFramework client;
        int users;

        Held(CuratorFramework client) {
            this.client = client;
        }
    }

    private static final Map<Key, Held> HELD = new HashMap<>();

    private ZkClients() {}

    static synchronized CuratorFramework acquire(CoordinationUrl url, Duration sessionTimeout) {
        Held h = HELD.computeIfAbsent(new Key(url, sessionTimeout), k -> {
            int ms = (int) sessionTimeout.toMillis();
            CuratorFramework c = CuratorFrameworkFactory.builder()
                    .connectString(url.connectString())
                    .namespace(url.namespace())
                    .sessionTimeoutMs(ms)
                    .connectionTimeoutMs(Math.min(ms, 5000))
                    // an operation retries briefly; the leader's fence check bounds its own wait by the session
                    .retryPolicy(new RetryNTimes(2, 200))
                    // a leader keeps its leadership while the connection is only suspended (a ZooKeeper server
                    // restarted, the client moves to another one); it stops changing servers meanwhile, and loses the
                    // leadership only when the session is lost, as the ensemble sees it
                    .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy())
                    .build();
            c.start();
            return new Held(c);
        });
        h.users++;
        return h.client;
    }

    static synchronized void release(CuratorFramework client) {
        HELD.entrySet().removeIf(e -> {
            if (e.getValue().client != client || --e.getValue().users > 0) return false;
            client.close();
            return true;
        });
    }
}
