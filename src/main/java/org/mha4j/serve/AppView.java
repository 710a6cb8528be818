package org.mha4j.serve;

import java.util.List;
import org.mha4j.monitor.NeedsRejoin;

/**
 * One application as mha serve sees it now.
 *
 * @param status      the manager's state, as masterha_check_status names it (PING_OK, PING_FAILING, FAILOVER_RUNNING, ...),
 *                    or NOT_RUNNING / CONFIG_ERROR while its manager does not run
 * @param master      the master being watched ({@code host:port}); null while none is
 * @param failover    the failover running now; null when none is
 * @param needsRejoin old masters that came back after a failover and wait for {@code mha rejoin}
 * @param problem     why the manager does not run (a bad config, a failed start check, a failed failover); null when it runs
 */
public record AppView(String name, String conf, String status, String master, DetectorView detector, List<ServerView> servers,
                      FailoverView failover, Long lastDetectionMillis, List<NeedsRejoin.Entry> needsRejoin, String problem) {
    public AppView {
        servers = List.copyOf(servers);
        needsRejoin = List.copyOf(needsRejoin);
    }

    public java.util.Optional<ServerView> server(String id) {
        java.util.Optional<ServerView> exact = servers.stream().filter(s -> !id.equals(s.host()) && s.isNamed(id)).findFirst();
        if (exact.isPresent()) return exact;
        List<ServerView> byHost = servers.stream().filter(s -> s.isNamed(id)).toList();
        return byHost.size() == 1 ? java.util.Optional.of(byHost.getFirst()) : java.util.Optional.empty();
    }
}
