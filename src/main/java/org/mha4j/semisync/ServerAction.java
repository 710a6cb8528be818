package org.mha4j.semisync;

import java.util.List;
import org.mha4j.topology.ServerSnapshot;

/**
 * What to do on one server: statements in order, whether to restart its IO thread afterwards (so it registers as a
 * semi-sync client), and the my.cnf lines that make the change survive a restart where SET PERSIST cannot.
 */
public record ServerAction(ServerSnapshot server, String role, List<String> sql, boolean restartIo, List<String> myCnfLines) {
    public boolean isEmpty() {
        return sql.isEmpty() && !restartIo;
    }
}
