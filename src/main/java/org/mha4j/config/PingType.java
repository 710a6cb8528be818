package org.mha4j.config;

/** How the manager checks the master: a query on a kept connection, a new connection, or a write. */
public enum PingType { SELECT, CONNECT, INSERT }
