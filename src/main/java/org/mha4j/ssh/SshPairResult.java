package org.mha4j.ssh;

import java.time.Duration;
import java.util.Optional;

/** One hop of the all-pairs test; {@code from} is empty for the manager's own connection. */
public record SshPairResult(Optional<SshTarget> from, SshTarget to, boolean ok, String detail, Duration took) {

    public String describe() {
        String src = from.map(SshTarget::display).orElse("manager");
        return src + " -> " + to.display() + ": " + (ok ? "ok" : detail);
    }
}
