package org.mha4j.topology;

/** A reachable server whose state could not be read; the message names the server, the statement and the likely fix. */
public final class InspectionException extends Exception {
    public InspectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
