package org.mha4j.cli;

import picocli.CommandLine.IVersionProvider;

/** "masterha_check_repl version 0.58." style, with MHA4J's own version after it. */
public final class Versions implements IVersionProvider {
    public static final String MHA_COMPAT = "0.58";

    @Override
    public String[] getVersion() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return new String[]{"MHA4J " + (v == null ? "dev" : v) + " (compatible with MHA " + MHA_COMPAT + ")"};
    }
}
