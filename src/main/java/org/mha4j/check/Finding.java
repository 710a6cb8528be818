package org.mha4j.check;

import java.util.Optional;

/**
 * One result of a health check, written for an operator at 3 a.m.: which server, what is wrong, what to do.
 *
 * @param server the server's label ("server2 (10.1.1.20:3306)"), empty for findings about the whole cluster
 * @param fix    the action that clears the finding; empty for informational findings
 */
public record Finding(Severity severity, String check, Optional<String> server, String message, Optional<String> fix) {

    public enum Severity { INFO, WARNING, ERROR }

    public static Finding error(String check, String server, String message, String fix) {
        return new Finding(Severity.ERROR, check, Optional.ofNullable(server), message, Optional.ofNullable(fix));
    }

    public static Finding warning(String check, String server, String message, String fix) {
        return new Finding(Severity.WARNING, check, Optional.ofNullable(server), message, Optional.ofNullable(fix));
    }

    public static Finding info(String check, String server, String message) {
        return new Finding(Severity.INFO, check, Optional.ofNullable(server), message, Optional.empty());
    }

    /** "server2 (10.1.1.20:3306): read_only is OFF on a replica. Fix: SET GLOBAL read_only=1 ..." */
    public String text() {
        StringBuilder sb = new StringBuilder();
        server.ifPresent(s -> sb.append(s).append(": "));
        sb.append(message);
        fix.ifPresent(f -> sb.append(" Fix: ").append(f));
        return sb.toString();
    }
}
