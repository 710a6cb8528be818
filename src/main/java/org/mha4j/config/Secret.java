package org.mha4j.config;

/** A password. Its {@code toString} never shows it, so it cannot leak through a log line or a record's toString. */
public record Secret(String value) {
    public Secret {
        value = value == null ? "" : value;
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "******";
    }
}
