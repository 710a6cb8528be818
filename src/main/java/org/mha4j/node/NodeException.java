package org.mha4j.node;

/** A node tool cannot do its job; the message says what to check (file, directory, server). */
public class NodeException extends Exception {
    public NodeException(String message) {
        super(message);
    }

    public NodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
