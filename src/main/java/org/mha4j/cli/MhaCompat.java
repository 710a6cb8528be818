package org.mha4j.cli;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MHA's Getopt::Long runs in pass-through mode: unknown options are ignored. We ignore them too, but say so. */
final class MhaCompat {
    private static final Logger log = LoggerFactory.getLogger("mha");

    private MhaCompat() {}

    static void warnUnmatched(List<String> unmatched) {
        if (unmatched != null && !unmatched.isEmpty()) {
            log.warn("Ignoring unknown option(s): {}", String.join(" ", unmatched.stream().map(Problems::shorten).toList()));
        }
    }
}
