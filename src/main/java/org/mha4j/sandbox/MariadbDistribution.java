package org.mha4j.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Debian's MariaDB (10.11): accounts by init file, semi-sync built in and switched on from my.cnf. */
record MariadbDistribution(MariadbBinaries bin) implements Distribution {

    @Override
    public void install(SandboxNode n) {
        NodeProcess.run(n, List.of(bin.installDb().toString(), "--no-defaults", "--datadir=" + n.datadir(),
                "--user=" + System.getProperty("user.name"), "--skip-test-db", "--auth-root-authentication-method=socket",
                "--basedir=/usr"), "mariadb-install-db");
    }

    @Override
    public List<String> startCommand(SandboxNode n, Optional<Path> initFile) {
        List<String> cmd = new ArrayList<>(List.of(bin.mariadbd().toString(), "--defaults-file=" + n.myCnf()));
        initFile.ifPresent(f -> cmd.add("--init-file=" + f));
        return cmd;
    }

    @Override
    public String myCnf(SandboxNode n, boolean master, int semiSyncTimeoutMs) {
        return NodeFiles.myCnf(n, master, semiSyncTimeoutMs);
    }

    @Override
    public boolean usesInitFile() {
        return true;
    }

    @Override
    public List<String> bootstrapSql(SandboxState s) {
        return NodeFiles.mariadbAccounts(s);
    }

    @Override
    public List<String> semiSync(boolean master) {
        return List.of();  // my.cnf switches it on; MariaDB 10.3+ has no plugin to install
    }
}
