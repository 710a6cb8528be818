package org.mha4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.mha4j.promote.FailoverRecord;

/** Reads a failover or switch record back the way a program would: with a JSON library, into the record. */
public final class Records {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {}

    public static FailoverRecord read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), FailoverRecord.class);
    }
}
