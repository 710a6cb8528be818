package org.mha4j.semisync;

/** A semi-sync change that could not be made or verified; the message names the server and the cause. */
public final class SemiSyncException extends Exception {
    public SemiSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
