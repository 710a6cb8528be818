package org.mha4j.node;

import java.nio.file.Path;

/** A binary or relay log that cannot be read as one: the message names the file and the offset at fault. */
public final class BinlogCorruption extends Exception {
    public BinlogCorruption(Path file, long offset, String what) {
        super(file + " at offset " + offset + ": " + what);
    }
}
