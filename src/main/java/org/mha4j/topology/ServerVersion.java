package org.mha4j.topology;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server's version as reported by {@code @@version} and {@code @@version_comment}.
 * MariaDB reports "10.11.19-MariaDB-0+deb12u1-log"; MySQL reports "8.0.36" with the product in the comment.
 */
public record ServerVersion(Flavor flavor, int major, int minor, int patch, String raw) implements Comparable<ServerVersion> {

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    public static ServerVersion parse(String version, String versionComment) {
        Matcher m = NUMBERS.matcher(version == null ? "" : version.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("unrecognised server version '" + version + "'");
        }
        String all = (version + " " + (versionComment == null ? "" : versionComment)).toLowerCase();
        Flavor flavor = all.contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
        return new ServerVersion(flavor, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), version);
    }

    public boolean atLeast(int maj, int min, int pat) {
        return compareNumbers(maj, min, pat) >= 0;
    }

    private int compareNumbers(int maj, int min, int pat) {
        if (major != maj) return Integer.compare(major, maj);
        if (minor != min) return Integer.compare(minor, min);
        return Integer.compare(patch, pat);
    }

    @Override
    public int compareTo(ServerVersion o) {
        return compareNumbers(o.major, o.minor, o.patch);
    }

    /** "MariaDB 10.11.19" or "MySQL 8.0.36". */
    public String display() {
        return flavor.display() + " " + major + "." + minor + "." + patch;
    }

    /** A later major series than {@code other}'s (10.11 after 10.6, 8.4 after 8.0); patch levels do not count. */
    public boolean newerSeriesThan(ServerVersion other) {
        return compareNumbers(other.major, other.minor, patch) > 0;
    }

    /** Major series used by MHA's "slaves newer than the oldest major version" rule, e.g. "10.11" or "8.0". */
    public String series() {
        return major + "." + minor;
    }
}
