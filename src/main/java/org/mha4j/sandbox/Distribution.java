package org.mha4j.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What differs between the server programs a sandbox can run: installing, starting, configuring, first accounts. */
interface Distribution {

    /** Creates the system tables in the node's datadir. */
    void install(SandboxNode n);

    /** The command that starts the node's server in the foreground, with an optional one-time init file. */
    List<String> startCommand(SandboxNode n, Optional<Path> initFile);

    /** The node's my.cnf, configured like the seed's servers. */
    String myCnf(SandboxNode n, boolean master, int semiSyncTimeoutMs);

    /** True: accounts come from an init file at first start. False: from {@link #bootstrapSql} as root@127.0.0.1 without password. */
    boolean usesInitFile();

    /** The accounts, created without binary logging so no node starts with GTIDs of its own. */
    List<String> bootstrapSql(SandboxState s);

    /** Statements that make semi-sync available and on, per role, the way the seed does it. */
    List<String> semiSync(boolean master);

    /** Extra per-server lines of the MHA config (client_bindir, ...). */
    default List<String> configLines() {
        return List.of();
    }
}
