package org.mha4j.topology;

/** The two server families MHA4J manages. Only {@link Dialect} implementations may branch on it. */
public enum Flavor {
    MYSQL("MySQL"),
    MARIADB("MariaDB");

    private final String display;

    Flavor(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }
}
