package org.mha4j.cli;

/**
 * The node tools print plain lines: the manager runs them over SSH and logs what they print, and an operator running
 * one by hand reads the same.
 */
final class NodeOutput {
    private NodeOutput() {}

    /** A password from the first line of standard input (the manager's way: never on a command line). */
    static String stdinLine(String option) throws java.io.IOException, org.mha4j.node.NodeException {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
        if (line == null) throw new org.mha4j.node.NodeException(option + ": standard input is empty");
        return line;
    }

    static void info(String line) {
        System.out.println(line);
    }

    static void warn(String line) {
        System.out.println("[warning] " + line);
    }

    static int error(String line) {
        System.err.println("[error] " + line);
        return 1;
    }

    static int error(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return error(e instanceof java.nio.file.NoSuchFileException ? "no such file or directory: " + m : m);
    }
}
