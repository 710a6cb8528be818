package org.mha4j.topology;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Set;

/**
 * Why a server could not be reached, sorted into what an operator must do about it. MHA treats some MySQL
 * errors as "alive but misconfigured" (never a reason to fail over); {@link #serverIsAlive()} keeps that rule.
 */
public record ConnectFailure(Kind kind, int errorCode, String detail) {

    /** REFUSED: the host answered that nothing listens on the port; NO_ROUTE: the host itself cannot be reached. */
    public enum Kind { REFUSED, NO_ROUTE, UNKNOWN_HOST, TIMEOUT, ACCESS_DENIED, SERVER_REFUSED_LOGIN, OTHER }

    /** MHA's ALIVE_ERROR_CODES: too many connections, bad handshake, access denied, host blocked, ... */
    private static final Set<Integer> ALIVE_CODES = Set.of(1040, 1042, 1043, 1044, 1045, 1129, 1130, 1203, 1226, 1251, 1275);

    public static ConnectFailure of(SQLException e) {
        int code = e.getErrorCode();
        String msg = firstLine(e.getMessage());
        if (code == 1045 || code == 1044) return new ConnectFailure(Kind.ACCESS_DENIED, code, msg);
        if (ALIVE_CODES.contains(code)) return new ConnectFailure(Kind.SERVER_REFUSED_LOGIN, code, msg);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) return new ConnectFailure(Kind.UNKNOWN_HOST, code, msg);
            if (t instanceof SocketTimeoutException) return new ConnectFailure(Kind.TIMEOUT, code, msg);
            if (t instanceof NoRouteToHostException) return new ConnectFailure(Kind.NO_ROUTE, code, msg);
            if (t instanceof ConnectException c) {
                boolean refused = String.valueOf(c.getMessage()).toLowerCase().contains("refused");
                return new ConnectFailure(refused ? Kind.REFUSED : Kind.OTHER, code, msg);
            }
        }
        String lower = msg.toLowerCase();
        if (lower.contains("connection refused")) return new ConnectFailure(Kind.REFUSED, code, msg);
        if (lower.contains("timed out") || lower.contains("timeout")) return new ConnectFailure(Kind.TIMEOUT, code, msg);
        if (lower.contains("unknown host") || lower.contains("unknownhost")) return new ConnectFailure(Kind.UNKNOWN_HOST, code, msg);
        return new ConnectFailure(Kind.OTHER, code, msg);
    }

    /** The server answered: it runs, but refuses us. Such an error never means the master is dead. */
    public boolean serverIsAlive() {
        return kind == Kind.ACCESS_DENIED || kind == Kind.SERVER_REFUSED_LOGIN;
    }

    /** A short human reason: "connection refused", "access denied (1045)". */
    public String reason() {
        return switch (kind) {
            case REFUSED -> "connection refused";
            case NO_ROUTE -> "no route to host";
            case UNKNOWN_HOST -> "unknown host";
            case TIMEOUT -> "connection timed out";
            case ACCESS_DENIED -> "access denied (" + errorCode + ")";
            case SERVER_REFUSED_LOGIN -> "server refused the login (" + errorCode + ")";
            case OTHER -> errorCode == 0 ? "connection failed" : "connection failed (" + errorCode + ")";
        };
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
