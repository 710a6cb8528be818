package org.mha4j.cli;

import java.util.concurrent.Callable;
import org.mha4j.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Parses the config as the manager would and prints the effective settings per server, passwords masked. Exits 1 on a config error.")
public final class ConfigShowCommand implements Callable<Integer> {
    @Mixin
    ConfOptions conf;

    @Override
    public Integer call() {
        try {
            System.out.println(conf.load().describe());
            return 0;
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
