package org.mha4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes what a package installs beside the program, from the commands' own picocli definitions, so that they never
 * drift from {@code --help}: a man page per command (section 1) and a bash completion script per command. Run by the
 * build (scripts/package.sh): {@code java -cp mha4j.jar org.mha4j.cli.PackageFiles <man dir> <completion dir>}.
 */
public final class PackageFiles {
    private PackageFiles() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: PackageFiles <man1 dir> <bash-completion dir>");
            System.exit(2);
        }
        Path man = Files.createDirectories(Path.of(args[0]));
        Path completions = Files.createDirectories(Path.of(args[1]));
        CommandLine mha = Main.commandLine();
        String version = new Versions().getVersion()[0];
        write(man.resolve("mha.1"), manPage("mha", mha, version));
        write(completions.resolve("mha"), AutoComplete.bash("mha", mha));
        for (Map.Entry<String, CommandLine> e : mha.getSubcommands().entrySet()) {
            String name = e.getKey();
            // the MHA names are programs of their own (/usr/bin/masterha_manager, ...); the others are "mha <name>"
            if (!name.startsWith("masterha_") && !name.equals("save_binary_logs") && !name.equals("apply_diff_relay_logs")
                    && !name.equals("purge_relay_logs")) {
                continue;
            }
            // on its own, so that its synopsis and completion say "masterha_manager ...", not "mha masterha_manager ..."
            CommandLine alone = new CommandLine(e.getValue().getCommand()).setCommandName(name);
            write(man.resolve(name + ".1"), manPage(name, alone, version));
            write(completions.resolve(name), AutoComplete.bash(name, alone));
        }
    }

    /** A man page: the name line, then picocli's own help text, unwrapped, as the page body. */
    static String manPage(String name, CommandLine cmd, String version) {
        String description = String.join(" ", cmd.getCommandSpec().usageMessage().description()).strip();
        if (description.isEmpty()) description = "part of MHA4J, a high-availability manager for MySQL and MariaDB replication";
        StringBuilder sb = new StringBuilder();
        sb.append(".TH ").append(name.toUpperCase(Locale.ROOT)).append(" 1 \"").append(LocalDate.now()).append("\" \"")
                .append(troff(version)).append("\" \"MHA4J Manual\"\n");
        sb.append(".SH NAME\n").append(troff(name)).append(" \\- ").append(troff(firstSentence(description))).append('\n');
        sb.append(".SH SYNOPSIS\n.nf\n").append(troff(cmd.getHelp().synopsis(0).strip())).append("\n.fi\n");
        CommandLine.Help help = cmd.getHelp();
        sb.append(".SH DESCRIPTION\n.nf\n").append(troff(help.description().strip())).append("\n.fi\n");
        String options = help.optionList().strip();
        if (!options.isEmpty()) sb.append(".SH OPTIONS\n.nf\n").append(troff(options)).append("\n.fi\n");
        String commands = help.commandList().strip();
        if (!commands.isEmpty()) sb.append(".SH COMMANDS\n.nf\n").append(troff(commands)).append("\n.fi\n");
        sb.append(".SH SEE ALSO\nmha(1), masterha_manager(1), masterha_check_repl(1); /usr/share/doc/mha4j\n");
        return sb.toString();
    }

    private static String firstSentence(String s) {
        int dot = s.indexOf(". ");
        return dot > 0 ? s.substring(0, dot) : s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Backslashes doubled, and a line that would start with a dot or a quote (a troff request) escaped. */
    static String troff(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : s.replace("\\", "\\\\").split("\n", -1)) {
            if (!out.isEmpty()) out.append('\n');
            if (line.startsWith(".") || line.startsWith("'")) out.append("\\&");
            out.append(line);
        }
        return out.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
