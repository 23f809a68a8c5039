package dev.hardway.io;

import dev.hardway.model.OutputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Moves a directory from one consistent set of files to the next, or not at all, whatever happens to the
 * process (kill -9, a full disk, power loss): a write-ahead journal inside the directory.
 *
 * <ol>
 *   <li>{@link #prepare}: every new file is written and synced under {@value #JOURNAL}/, next to a list of the
 *       files to delete. The directory itself is untouched; any failure here discards the journal.</li>
 *   <li>{@link Prepared#commit}: a {@value #COMMITTED} marker is written atomically. From that instant the new
 *       state is decided; the files are then renamed into place and the journal removed.</li>
 *   <li>{@link #recover}, at the start of the next run under the directory's lock: a journal with the marker is
 *       rolled forward (its renames finished), one without it is thrown away.</li>
 * </ol>
 * Every rename stays inside one directory tree, so it is atomic, and rolling forward twice is harmless.
 */
public final class FileTransaction {
    public static final String JOURNAL = ".hardway-journal";
    static final String COMMITTED = "COMMITTED";
    static final String DELETES = "DELETES";
    static final String FILES = "files";
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private FileTransaction() {
    }

    /** A file to write: its bytes and mode. */
    public record Write(byte[] content, Set<PosixFilePermission> mode) {
        public Write {
            content = content.clone();
            mode = Set.copyOf(mode);
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /**
     * Finishes or discards an interrupted transaction of {@code directory}.
     *
     * @return true when an interrupted commit was rolled forward
     */
    public static boolean recover(Path directory) {
        Path journal = directory.resolve(JOURNAL);
        if (!Files.isDirectory(journal)) {
            return false;
        }
        try {
            if (Files.isRegularFile(journal.resolve(COMMITTED))) {
                apply(directory, journal);
                return true;
            }
            deleteTree(journal);
            return false;
        } catch (IOException e) {
            throw new OutputException(journal,
                    "cannot recover the interrupted write in " + journal + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files a committed but unapplied journal will put into {@code directory} (relative path to bytes), for a
     * reader that must see the decided state without taking the directory's lock; empty otherwise.
     */
    public static SortedMap<String, byte[]> committedButUnapplied(Path directory) {
        Path journal = directory.resolve(JOURNAL);
        SortedMap<String, byte[]> out = new TreeMap<>();
        if (!Files.isRegularFile(journal.resolve(COMMITTED))) {
            return out;
        }
        Path files = journal.resolve(FILES);
        try (Stream<Path> walk = Files.isDirectory(files) ? Files.walk(files) : Stream.empty()) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(files.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (NoSuchFileException applied) {
            // a concurrent roll-forward moved it; the directory holds it now
        } catch (IOException e) {
            throw new OutputException(journal, "cannot read " + journal + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The files a committed but unapplied journal will delete from {@code directory} (relative paths); empty
     * otherwise. With {@link #committedButUnapplied}, the state that journal decided.
     */
    public static SortedSet<String> committedDeletes(Path directory) {
        Path journal = directory.resolve(JOURNAL);
        if (!Files.isRegularFile(journal.resolve(COMMITTED))) {
            return new TreeSet<>();
        }
        try {
            return deletes(journal);
        } catch (NoSuchFileException applied) {
            return new TreeSet<>(); // a concurrent roll-forward finished it
        } catch (IOException e) {
            throw new OutputException(journal, "cannot read " + journal + ": " + e.getMessage(), e);
        }
    }

    private static SortedSet<String> deletes(Path journal) throws IOException {
        Path deletes = journal.resolve(DELETES);
        SortedSet<String> out = new TreeSet<>();
        if (Files.isRegularFile(deletes)) {
            for (String name : Files.readAllLines(deletes, StandardCharsets.UTF_8)) {
                if (!name.isBlank()) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /**
     * Writes the journal of a change to {@code directory}: {@code writes} (relative paths) and {@code deletes}.
     * Nothing in the directory changes yet. On failure the journal is removed and the exception rethrown.
     */
    public static Prepared prepare(Path directory, SortedMap<String, Write> writes, Set<String> deletes) {
        return prepare(directory, writes, deletes, true);
    }

    /**
     * As {@link #prepare(Path, SortedMap, Set)}; {@code durable = false} skips syncing each staged file. The
     * journal still makes the change all or nothing for a killed process; only a power loss may lose it. For
     * state that can be generated again from the spec (the golden snapshot), not for the PKI.
     */
    public static Prepared prepare(Path directory, SortedMap<String, Write> writes, Set<String> deletes,
                                   boolean durable) {
        Path journal = directory.resolve(JOURNAL);
        blockingDirectory(directory, writes.keySet(), deletes).ifPresent(blocked -> {
            throw new OutputException(directory.resolve(blocked.getKey()), "cannot write " + directory.resolve(
                    blocked.getKey()) + ": it is a directory, holding " + blocked.getValue() + ", which hardway did "
                    + "not write and does not remove; move it away and run again");
        });
        try {
            if (Files.exists(journal)) {
                deleteTree(journal); // a stale, uncommitted journal: recover() was not called, it cannot matter
            }
            Files.createDirectory(journal, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            Path files = journal.resolve(FILES);
            Files.createDirectory(files, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            for (String name : writes.keySet()) {
                Files.createDirectories(files.resolve(checked(name)).getParent(),
                        PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            }
            // each file is synced on its own; in parallel, the file system merges the flushes into few commits
            new WorkQueue().forEachFile(List.copyOf(writes.entrySet()), w -> {
                Path target = files.resolve(checked(w.getKey()));
                // the mode is the file's from its first byte: a key is never readable by others, even here
                Files.createFile(target, PosixFilePermissions.asFileAttribute(w.getValue().mode()));
                Files.setPosixFilePermissions(target, w.getValue().mode()); // the umask may have narrowed it
                if (durable) {
                    writeSynced(target, w.getValue().content);
                } else {
                    Files.write(target, w.getValue().content);
                }
            });
            SortedSet<String> sortedDeletes = new TreeSet<>(deletes);
            sortedDeletes.forEach(FileTransaction::checked);
            writeSynced(journal.resolve(DELETES), String.join("\n", sortedDeletes).getBytes(StandardCharsets.UTF_8));
            if (durable) {
                syncTree(journal);
            }
            return new Prepared(directory, journal, writes.size(), sortedDeletes.size());
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(journal);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof IOException io) {
                throw new OutputException(directory, "cannot write into " + directory + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * The first file to write whose path is a directory holding something this change does not delete, with that
     * entry: the rename would fail on it after the commit decided, and every roll-forward after it again.
     */
    private static Optional<Map.Entry<String, String>> blockingDirectory(Path directory, Set<String> writes,
                                                                       Set<String> deletes) {
        for (String name : writes) {
            Path target = directory.resolve(checked(name));
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(target)) {
                Optional<String> kept = walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .map(p -> directory.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                        .filter(entry -> !deletes.contains(entry)).findFirst();
                if (kept.isPresent()) {
                    return Optional.of(Map.entry(name, kept.get()));
                }
            } catch (IOException e) {
                throw new OutputException(target, "cannot list " + target + ": " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /** A journal written and synced, waiting for {@link #commit} or {@link #abort}. */
    public static final class Prepared {
        private final Path directory;
        private final Path journal;
        private final int writes;
        private final int deletes;

        private Prepared(Path directory, Path journal, int writes, int deletes) {
            this.directory = directory;
            this.journal = journal;
            this.writes = writes;
            this.deletes = deletes;
        }

        public boolean isEmpty() {
            return writes == 0 && deletes == 0;
        }

        /** Decides the change (the marker), then applies it. After the marker, a crash is finished by recover. */
        public void commit() {
            try {
                Path marker = journal.resolve(COMMITTED);
                Path temp = journal.resolve(COMMITTED + ".tmp");
                writeSynced(temp, new byte[0]);
                Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(journal);
                apply(directory, journal);
            } catch (IOException e) {
                throw new OutputException(directory, "cannot commit the write into " + directory + ": "
                        + e.getMessage() + "; the next run finishes it", e);
            }
        }

        /** Throws the journal away; the directory stays as it was. */
        public void abort() {
            try {
                deleteTree(journal);
            } catch (IOException e) {
                throw new OutputException(journal, "cannot remove " + journal + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Deletes first, then renames: a file that leaves may stand where a new file's directory goes (a node's golden
     * files replacing a stray file of its name), and no path is both written and deleted. Both steps are
     * idempotent, so a roll-forward interrupted anywhere is finished by the next one: a delete whose path is a
     * directory by then was done before the renames that made that directory, and is not done again.
     */
    private static void apply(Path directory, Path journal) throws IOException {
        SortedSet<Path> emptied = new TreeSet<>(Comparator.comparingInt(Path::getNameCount).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (String name : deletes(journal)) {
            Path target = directory.resolve(checked(name));
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(target);
                for (Path dir = target.getParent(); dir != null && !dir.equals(directory); dir = dir.getParent()) {
                    emptied.add(dir);
                }
            }
        }
        removeIfEmpty(emptied);
        Path files = journal.resolve(FILES);
        List<Path> staged;
        try (Stream<Path> walk = Files.isDirectory(files) ? Files.walk(files) : Stream.empty()) {
            staged = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path from : staged) {
            Path to = directory.resolve(files.relativize(from).toString());
            Files.createDirectories(to.getParent());
            if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
                removeEmptyTree(to); // what the deletes left of a directory where this file goes
            }
            move(from, to);
        }
        syncDirectory(directory);
        deleteTree(journal);
        syncDirectory(directory);
    }

    /**
     * The directories the deletes emptied, deepest first, go with them: only those, so that a change costs what
     * it changes, and an empty directory someone else made stays. Repeated by a roll-forward, harmlessly.
     */
    private static void removeIfEmpty(SortedSet<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> children = Files.list(dir)) {
                if (children.findAny().isPresent()) {
                    continue;
                }
            }
            Files.delete(dir);
        }
    }

    /** Removes a tree of directories only; a file or link left in it fails, naming it, and the tree stays. */
    private static void removeEmptyTree(Path root) throws IOException {
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(root)) {
            dirs = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : dirs) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(root + " is a directory where a file goes, and it holds " + p
                        + ": move it away, and the next run finishes this commit");
            }
        }
        for (Path dir : dirs) {
            Files.delete(dir);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Relative, normalised and inside the directory: a journal never writes or deletes outside it. */
    private static String checked(String relative) {
        Path p = Path.of(relative).normalize();
        if (relative.isEmpty() || p.isAbsolute() || p.startsWith("..") || p.startsWith(JOURNAL)) {
            throw new IllegalArgumentException("not a path inside the directory: " + relative);
        }
        return p.toString();
    }

    private static void writeSynced(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
    }

    private static void syncTree(Path root) throws IOException {
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(root)) {
            dirs = walk.filter(Files::isDirectory).toList();
        }
        for (Path d : dirs) {
            syncDirectory(d);
        }
    }

    /** Makes a directory's entries (new names, renames) durable. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupportedHere) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.toList());
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
