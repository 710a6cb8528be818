package org.mha4j.topology;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.mha4j.config.ServerConfig;

/**
 * JDBC access for both flavours through MariaDB Connector/J. Credentials travel in {@link Properties}, never in
 * the URL, so they cannot leak through a logged URL or an exception message.
 */
public final class Db {
    private Db() {}

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(4);

    public static Connection connect(ServerConfig server, Duration connectTimeout, Duration queryTimeout) throws SQLException {
        return connect(server.ip(), server.port(), server.user(), server.password().reveal(), connectTimeout, queryTimeout);
    }

    public static Connection connect(String host, int port, String user, String password,
                                     Duration connectTimeout, Duration queryTimeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        p.setProperty("socketTimeout", Long.toString(queryTimeout.toMillis()));
        // Failover decisions must see the server as it is, never a cached or pooled view.
        p.setProperty("useServerPrepStmts", "false");
        p.setProperty("permitMysqlScheme", "true");
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return DriverManager.getConnection("jdbc:mariadb://" + h + ":" + port + "/", p);
    }

    /** All rows, column label to text (SQL NULL becomes a missing key's null). */
    public static List<Map<String, String>> query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        }
    }

    public static List<Map<String, String>> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
            try (ResultSet rs = st.executeQuery()) {
                return rows(rs);
            }
        }
    }

    /** A two-column result (SHOW VARIABLES, SHOW STATUS) as name to value. */
    public static Map<String, String> nameValue(Connection c, String sql) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getString(1).toLowerCase(), rs.getString(2));
        }
        return out;
    }

    /**
     * The advisory lock {@code name} (GET_LOCK) on a connection of its own, waiting up to {@code wait}: the connection
     * while it holds the lock (closing it releases the lock, as does its end), empty when another session held it so long.
     */
    public static java.util.Optional<Connection> namedLock(ServerConfig server, String name, Duration wait) throws SQLException {
        Connection c = connect(server, DEFAULT_CONNECT_TIMEOUT, wait.plusSeconds(10));
        try {
            if ("1".equals(query(c, "SELECT GET_LOCK(?, ?) l", name, wait.toSeconds()).getFirst().get("l"))) return java.util.Optional.of(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.close();
        return java.util.Optional.empty();
    }

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<Map<String, String>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, String>> out = new ArrayList<>();
        while (rs.next()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getString(i));
            out.add(row);
        }
        return out;
    }
}
