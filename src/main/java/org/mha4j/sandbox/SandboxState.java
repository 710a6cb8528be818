package org.mha4j.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a sandbox is made of, kept in {@code sandbox.properties} (mode 600: it holds the generated passwords) so that
 * every `mha sandbox` command, each in its own JVM, works on the same nodes.
 */
record SandboxState(SandboxFlavor flavor, List<Integer> ports, String rootPassword, String adminPassword, String replPassword) {

    static final String FILE = "sandbox.properties";

    static SandboxState fresh(SandboxFlavor flavor, List<Integer> ports) {
        return new SandboxState(flavor, List.copyOf(ports), password(), password(), password());
    }

    /** Letters and digits only: no quoting problems in SQL, my.cnf or the MHA config. */
    private static String password() {
        SecureRandom r = new SecureRandom();
        String chars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append(chars.charAt(r.nextInt(chars.length())));
        return sb.toString();
    }

    void save(Path dir) {
        Properties p = new Properties();
        p.setProperty("flavor", flavor.id);
        p.setProperty("nodes", Integer.toString(ports.size()));
        for (int i = 0; i < ports.size(); i++) p.setProperty("node" + (i + 1) + ".port", ports.get(i).toString());
        p.setProperty("root.password", rootPassword);
        p.setProperty("admin.password", adminPassword);
        p.setProperty("repl.password", replPassword);
        Path f = dir.resolve(FILE);
        try {
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer w = Files.newBufferedWriter(f)) {
                p.store(w, "MHA4J sandbox: ports and generated passwords. Keep private.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SandboxState load(Path dir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(FILE))) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new SandboxException("no sandbox in " + dir + " (" + FILE + " is missing): create one with `mha sandbox up --dir " + dir + "`");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = Integer.parseInt(p.getProperty("nodes"));
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= n; i++) ports.add(Integer.parseInt(p.getProperty("node" + i + ".port")));
        return new SandboxState(SandboxFlavor.parse(p.getProperty("flavor", "mariadb")), ports, p.getProperty("root.password"), p.getProperty("admin.password"), p.getProperty("repl.password"));
    }

}
