package dev.hardway.bundle;

import dev.hardway.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes generated files into a directory only where their bytes changed, each by an atomic rename, so a re-run
 * leaves checksums and mtimes alone and a reader never sees half a file.
 */
public final class OutputWriter {

    /** What a write did. */
    public record Outcome(List<Path> written, List<Path> unchanged, List<Path> removed) {
    }

    /**
     * @param files       file name (relative to {@code directory}) to content
     * @param secret      names of files that hold private keys: created 0600
     * @param stalePrefix files ending in this (e.g. {@code .tar.gz}) that are not in {@code files} are removed,
     *                    so a node taken out of the spec loses its bundle; {@code null} removes nothing
     */
    public Outcome write(Path directory, Map<String, byte[]> files, Set<String> secret, String stalePrefix) {
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        List<Path> removed = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(files).entrySet()) {
                Path target = directory.resolve(e.getKey());
                boolean isSecret = secret.contains(e.getKey());
                if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), e.getValue())) {
                    unchanged.add(target);
                    if (isSecret) {
                        Files.setPosixFilePermissions(target, AtomicFiles.PRIVATE);
                    }
                    continue;
                }
                Files.createDirectories(target.getParent());
                AtomicFiles.write(target, e.getValue(), isSecret ? AtomicFiles.PRIVATE : AtomicFiles.PUBLIC);
                written.add(target);
            }
            if (stalePrefix != null) {
                try (DirectoryStream<Path> existing = Files.newDirectoryStream(directory, "*" + stalePrefix)) {
                    for (Path p : existing) {
                        if (!files.containsKey(p.getFileName().toString())) {
                            Files.delete(p);
                            removed.add(p);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + directory, e);
        }
        return new Outcome(written, unchanged, removed);
    }
}
