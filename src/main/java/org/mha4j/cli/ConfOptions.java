package org.mha4j.cli;

import java.nio.file.Path;
import org.mha4j.config.AppConfig;
import org.mha4j.config.ConfigLoader;
import picocli.CommandLine.Option;

/** MHA's two config options, shared by every masterha_* command. */
public final class ConfOptions {
    @Option(names = "--conf", required = true, paramLabel = "FILE", description = "Application config file (MHA format), e.g. /etc/mha/app1.conf.")
    Path conf;

    @Option(names = "--global_conf", paramLabel = "FILE",
            description = "Global defaults file (default: /etc/masterha_default.cnf, optional).")
    Path globalConf;

    public AppConfig load() {
        return ConfigLoader.load(conf, globalConf);
    }

    /**
     * Loads the config after warning about the options picocli did not know (each command keeps its own
     * {@code @Unmatched} field: picocli does not take one from a mixin).
     */
    public AppConfig load(java.util.List<String> unmatched) {
        MhaCompat.warnUnmatched(unmatched);
        return load();
    }
}
