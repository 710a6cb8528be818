package org.mha4j.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The node tools as the sandbox's database "hosts" run them over SSH: small scripts starting this very build (the same
 * Java and class path), so tests and the demo exercise the code under test, not an installed copy.
 */
final class NodeTools {
    static final List<String> NAMES = List.of("save_binary_logs", "apply_diff_relay_logs", "purge_relay_logs");

    private NodeTools() {}

    static void write(Path bindir) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        try {
            Files.createDirectories(bindir);
            for (String name : NAMES) {
                Path f = bindir.resolve(name);
                Files.writeString(f, "#!/bin/sh\n# MHA4J node tool for the sandbox, written by `mha sandbox up`\nexec '" + java
                        + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + cp + "' org.mha4j.cli.Main " + name + " \"$@\"\n");
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
