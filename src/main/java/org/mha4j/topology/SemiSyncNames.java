package org.mha4j.topology;

/**
 * The names semi-sync goes by on one server. MySQL 8.0.26 added the {@code semisync_source.so} /
 * {@code semisync_replica.so} plugins with {@code _source_}/{@code _replica_} variables; the old plugins still work
 * there, so the names follow what is loaded. MariaDB 10.3+ has it built in, under the old names, and no plugin.
 *
 * @param master  variable/status prefix of the master side without "rpl_semi_sync_": "master" or "source"
 * @param replica prefix of the replica side: "slave" or "replica"
 * @param builtIn no plugin to install or uninstall (MariaDB 10.3+)
 */
public record SemiSyncNames(String master, String replica, boolean builtIn) {

    public static final SemiSyncNames CLASSIC = new SemiSyncNames("master", "slave", false);
    public static final SemiSyncNames SOURCE_REPLICA = new SemiSyncNames("source", "replica", false);
    public static final SemiSyncNames MARIADB = new SemiSyncNames("master", "slave", true);

    public String masterVar(String suffix) {
        return "rpl_semi_sync_" + master + "_" + suffix;
    }

    public String replicaVar(String suffix) {
        return "rpl_semi_sync_" + replica + "_" + suffix;
    }

    /** Plugin name and library, e.g. rpl_semi_sync_master / semisync_master.so. */
    public String masterPlugin() {
        return "rpl_semi_sync_" + master;
    }

    public String masterLibrary() {
        return "semisync_" + master + ".so";
    }

    public String replicaPlugin() {
        return "rpl_semi_sync_" + replica;
    }

    public String replicaLibrary() {
        return "semisync_" + replica + ".so";
    }
}
