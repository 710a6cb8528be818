package org.mha4j.config;

/** MHA4J's {@code semi_sync} key: whether MHA4J manages semi-synchronous replication (and flips roles on failover). */
public enum SemiSyncMode { ON, OFF, UNMANAGED }
