package dev.hardway.bundle;

import dev.hardway.io.DirectoryCheck;
import dev.hardway.io.DirectoryLock;
import dev.hardway.io.FileModes;
import dev.hardway.io.FileTransaction;
import dev.hardway.model.OutputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The directory the bundles and {@code admin.kubeconfig} go to. Every file there carries private keys, so the
 * directory is 0700 and each file 0600. hardway records what it wrote ({@value #RECORD}) and removes only files
 * named there: a file someone else put into the directory is never deleted.
 */
public final class OutputDirectory {
    /** The names of the files hardway wrote here, one per line. */
    public static final String RECORD = ".hardway-outputs";
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    static final Duration LOCK_TIMEOUT = Duration.ofMinutes(10);

    private final Path root;

    public OutputDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * Fails when the directory cannot be created or written into (it lies under a file, or on a read-only file
     * system): asked before a run creates or locks anything, so such a run leaves no PKI directory behind.
     */
    public void checkUsable() {
        DirectoryCheck.whyUnusable(root).ifPresent(reason -> {
            throw new OutputException(root, "cannot write the output directory " + root + ": " + reason);
        });
    }

    /** What writing did, or will do once its transaction commits. */
    public record Outcome(List<Path> written, List<Path> unchanged, List<Path> removed) {
        public Outcome {
            written = List.copyOf(written);
            unchanged = List.copyOf(unchanged);
            removed = List.copyOf(removed);
        }
    }

    /** A prepared change of the directory: commit it, or abort it and nothing changed. */
    public record Change(FileTransaction.Prepared transaction, Outcome outcome) {
    }

    /** Creates the directory 0700 if needed (and tightens one hardway already owns), then locks it for this run. */
    public DirectoryLock lock(Consumer<String> waiting) {
        try {
            DirectoryLock lock = DirectoryLock.ownedDirectory(root, LOCK_TIMEOUT, waiting);
            if (Files.isRegularFile(root.resolve(RECORD)) || isEmpty()) {
                // ours, or new: a directory someone shares with other tools keeps the mode they gave it
                Files.setPosixFilePermissions(root, PRIVATE_DIR);
            }
            return lock;
        } catch (IOException e) {
            throw new OutputException(root, "cannot create the output directory " + root + ": " + e.getMessage(), e);
        }
    }

    private boolean isEmpty() throws IOException {
        try (var entries = Files.list(root)) {
            return entries.allMatch(p -> p.getFileName().toString().equals(DirectoryLock.FILE));
        }
    }

    /**
     * Journals the files whose bytes or mode differ from what is there, and the removal of files an earlier run
     * recorded that are no longer generated. The directory changes when the returned change commits.
     */
    public Change prepare(SortedMap<String, byte[]> files) {
        return prepare(files, Set.of(), outcome -> new TreeMap<>());
    }

    /**
     * {@link #prepare(SortedMap)}, with files that describe the change (a report) journaled in the same
     * transaction: {@code describe} sees the outcome of {@code files}, and its own files, named up front in
     * {@code described}, are not part of it (a report written by the last run is replaced, not removed).
     */
    public Change prepare(SortedMap<String, byte[]> files, Set<String> described,
                          Function<Outcome, SortedMap<String, byte[]>> describe) {
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        List<Path> removed = new ArrayList<>();
        SortedMap<String, FileTransaction.Write> writes = new TreeMap<>();
        try {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Path target = root.resolve(e.getKey());
                if (unchangedFile(target, e.getValue())) {
                    unchanged.add(target);
                } else {
                    writes.put(e.getKey(), new FileTransaction.Write(e.getValue(), FileModes.PRIVATE));
                    written.add(target);
                }
            }
            Set<String> deletes = new TreeSet<>(recorded());
            deletes.removeAll(files.keySet());
            deletes.removeAll(described);
            deletes.removeIf(name -> !Files.exists(root.resolve(name), LinkOption.NOFOLLOW_LINKS));
            deletes.forEach(name -> removed.add(root.resolve(name)));
            SortedMap<String, byte[]> descriptions = describe.apply(new Outcome(written, unchanged, removed));
            if (!described.containsAll(descriptions.keySet())) {
                throw new IllegalArgumentException("described " + descriptions.keySet() + ", announced " + described);
            }
            for (Map.Entry<String, byte[]> e : descriptions.entrySet()) {
                if (!unchangedFile(root.resolve(e.getKey()), e.getValue())) {
                    writes.put(e.getKey(), new FileTransaction.Write(e.getValue(), FileModes.PRIVATE));
                }
            }
            SortedSet<String> owned = new TreeSet<>(files.keySet());
            owned.addAll(descriptions.keySet());
            String record = String.join("\n", owned) + "\n";
            Path recordFile = root.resolve(RECORD);
            if (!Files.isRegularFile(recordFile)
                    || !Files.readString(recordFile, StandardCharsets.UTF_8).equals(record)) {
                writes.put(RECORD, new FileTransaction.Write(record.getBytes(StandardCharsets.UTF_8),
                        FileModes.PRIVATE));
            }
            // All or nothing for a killed or failed run, as the PKI; but not synced file by file: every output is
            // generated again from the spec and the PKI (which is synced), and install.sh refuses a bundle that a
            // power loss truncated (SHA256SUMS). A thousand-node run saves a thousand flushes.
            return new Change(FileTransaction.prepare(root, writes, deletes, false),
                    new Outcome(written, unchanged, removed));
        } catch (IOException e) {
            throw new OutputException(root, "cannot read the output directory " + root + ": " + e.getMessage(), e);
        }
    }

    private static boolean unchangedFile(Path target, byte[] content) throws IOException {
        return Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && Files.getPosixFilePermissions(target).equals(FileModes.PRIVATE)
                && Arrays.equals(Files.readAllBytes(target), content);
    }

    /**
     * The files earlier runs recorded writing here; empty when there is no record, or none that can be read
     * (whatever depends on it then sees the record itself change).
     */
    public Set<String> recordedNames() {
        try {
            return recorded();
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** What earlier runs wrote here; nothing for a directory hardway has not written yet. */
    private Set<String> recorded() throws IOException {
        Path recordFile = root.resolve(RECORD);
        if (!Files.isRegularFile(recordFile)) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(recordFile, StandardCharsets.UTF_8)) {
            String name = line.strip();
            // only plain names: a damaged record must not send a delete elsewhere
            if (!name.isEmpty() && !name.contains("/") && !name.startsWith(".")) {
                names.add(name);
            }
        }
        return names;
    }
}
