package org.mha4j.ssh;

/** What a remote command returned. */
public record ExecResult(int exitCode, String stdout, String stderr) {}
