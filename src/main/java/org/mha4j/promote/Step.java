package org.mha4j.promote;

/**
 * One step of a failover or switch as it happened: a phase, a statement on a server, a hook, a remote command.
 *
 * @param phase     MHA's phase it belongs to ("Phase 3: Master Recovery Phase")
 * @param name      what the step is: the phase itself, "sql", "hook master_ip_failover_script", "ssh", ...
 * @param server    the server's label; null for a step that is about no one server
 * @param statement the statement or command, passwords shown as {@code ******}; null when there is none
 * @param start     ISO-8601 instant
 * @param millis    how long it took
 * @param outcome   {@code ok}, {@code failed} or {@code refused}
 * @param detail    the error or the refusal code; null when it went well
 */
public record Step(String phase, String name, String server, String statement, String start, long millis, String outcome, String detail) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";
}
