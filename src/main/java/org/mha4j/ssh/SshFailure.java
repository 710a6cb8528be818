package org.mha4j.ssh;

/** An SSH login or command that failed; the message names the target and says what to check. */
public final class SshFailure extends Exception {
    private final String reason;

    public SshFailure(SshTarget target, String reason, Throwable cause) {
        super(target.display() + ": " + reason, cause);
        this.reason = reason;
    }

    /** The message without the target's name, for lines that name it already. */
    public String reason() {
        return reason;
    }
}
