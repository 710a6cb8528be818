package org.mha4j.sandbox;

/**
 * Which server a sandbox runs: Debian's MariaDB; MariaDB 11.4.5 or Oracle MySQL 5.6.14 (GTID and the seed's semi-sync
 * plugins), both from Maven Central artifacts.
 */
public enum SandboxFlavor {
    MARIADB("mariadb"),
    MARIADB_114("mariadb-11.4"),
    MYSQL_56("mysql-5.6");

    public final String id;

    SandboxFlavor(String id) {
        this.id = id;
    }

    public static SandboxFlavor parse(String s) {
        for (SandboxFlavor f : values()) if (f.id.equalsIgnoreCase(s) || f.name().equalsIgnoreCase(s)) return f;
        throw new SandboxException("unknown flavor '" + s + "': choose mariadb, mariadb-11.4 or mysql-5.6");
    }

    Distribution distribution() {
        return switch (this) {
            case MARIADB -> new MariadbDistribution(MariadbBinaries.locate(), java.util.Optional.empty());
            case MARIADB_114 -> MariadbDistribution.mariadb114();
            case MYSQL_56 -> Mysql56Distribution.locate();
        };
    }
}
