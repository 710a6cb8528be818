package org.mha4j.sandbox;

/** Which server a sandbox runs: Debian's MariaDB, or Oracle MySQL 5.6 from Maven Central (GTID and the seed's semi-sync plugins). */
public enum SandboxFlavor {
    MARIADB("mariadb"),
    MYSQL_56("mysql-5.6");

    public final String id;

    SandboxFlavor(String id) {
        this.id = id;
    }

    public static SandboxFlavor parse(String s) {
        for (SandboxFlavor f : values()) if (f.id.equalsIgnoreCase(s) || f.name().equalsIgnoreCase(s)) return f;
        throw new SandboxException("unknown flavor '" + s + "': choose mariadb or mysql-5.6");
    }

    Distribution distribution() {
        return this == MARIADB ? new MariadbDistribution(MariadbBinaries.locate()) : Mysql56Distribution.locate();
    }
}
