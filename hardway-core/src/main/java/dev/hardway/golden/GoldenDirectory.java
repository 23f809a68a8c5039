package dev.hardway.golden;

import dev.hardway.io.DirectoryCheck;
import dev.hardway.io.FileModes;
import dev.hardway.io.FileTransaction;
import dev.hardway.io.WorkQueue;
import dev.hardway.model.GoldenComparison;
import dev.hardway.model.GoldenFiles;
import dev.hardway.model.OutputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The directory, committed in an infra repo, that holds a {@link GoldenSnapshot}: one text file per generated
 * artifact at {@code <node>/<target path>}. {@link #write} keeps it equal to a snapshot; {@link #compare} says how
 * it differs from one.
 *
 * <p>Files are UTF-8 with LF line ends; on reading, CRLF is taken as LF, so a checkout with {@code core.autocrlf}
 * still compares equal. Files and directories whose name starts with a dot ({@code .gitattributes}, the
 * {@value #MARKER} marker) are not part of the snapshot: hardway neither compares nor removes them.
 *
 * <p>Because writing removes every file the snapshot no longer holds, hardway only writes into a directory that
 * is empty, absent, or carries the {@value #MARKER} marker it leaves there: a {@code goldenDirectory} pointed at
 * the infra repo itself by mistake fails instead of emptying it.
 */
public final class GoldenDirectory {
    /** Marks a directory as a hardway golden snapshot, so hardway may remove files from it. */
    public static final String MARKER = ".hardway-golden";
    /** The end of the name of the sibling a first snapshot is written into before it is renamed into place. */
    public static final String STAGING_SUFFIX = ".hardway-new";

    private static final String MARKER_TEXT = """
            This directory is hardway's golden snapshot: every file hardway generates for each node, as text at its
            target path, with certificates described and secrets left out. `mvn hardway:generate` rewrites it and
            `mvn hardway:verify` fails when it is out of date. Do not edit it by hand; commit it with cluster.yaml.
            """;

    private final Path root;

    public GoldenDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * Every snapshot file in the directory, relative path to text; empty when the directory does not exist. A
     * journal an interrupted run committed but did not finish applying is read as applied, as the next run will
     * leave it: a reader (hardway:verify, the next run's report) never sees half a snapshot.
     */
    public SortedMap<String, String> read() {
        SortedMap<String, byte[]> decided = FileTransaction.committedButUnapplied(root);
        java.util.Set<String> deleted = FileTransaction.committedDeletes(root);
        List<String> files = files().stream().filter(f -> !deleted.contains(f) && !decided.containsKey(f)).toList();
        // thousands of small files for a large cluster: read in parallel
        List<String> texts = files.parallelStream().map(relative -> {
            try {
                return normalize(Files.readString(root.resolve(relative), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new OutputException(root.resolve(relative),
                        "cannot read " + root.resolve(relative) + ": " + e.getMessage(), e);
            }
        }).toList();
        SortedMap<String, String> out = new TreeMap<>();
        for (int i = 0; i < files.size(); i++) {
            out.put(files.get(i), texts.get(i));
        }
        decided.forEach((name, bytes) -> {
            if (!hidden(name)) {
                out.put(name, normalize(new String(bytes, StandardCharsets.UTF_8)));
            }
        });
        return out;
    }

    /** Compares the directory (the committed side) with {@code snapshot} (what hardway generates now). */
    public GoldenComparison compare(SortedMap<String, String> snapshot) {
        SortedMap<String, String> committed = read();
        List<GoldenComparison.FileDifference> changed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : snapshot.entrySet()) {
            String expected = normalize(e.getValue());
            String actual = committed.get(e.getKey());
            if (actual == null) {
                missing.add(e.getKey());
            } else if (!actual.equals(expected)) {
                changed.add(new GoldenComparison.FileDifference(e.getKey(),
                        UnifiedDiff.of(e.getKey(), actual, expected)));
            }
        }
        List<String> extra = committed.keySet().stream().filter(k -> !snapshot.containsKey(k)).toList();
        return new GoldenComparison(root, Files.isDirectory(root), changed, missing, extra);
    }

    /**
     * Fails unless hardway may write here: the directory is absent, empty, or marked as a golden snapshot. Call it
     * before generating, so a misconfigured directory fails before anything is written.
     */
    public void checkWritable() {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new OutputException(root,
                    "goldenDirectory " + root + " is a file; point it at a directory of its own, "
                    + "e.g. golden/ next to cluster.yaml");
        }
        DirectoryCheck.whyUnusable(root).ifPresent(reason -> {
            throw new OutputException(root, "cannot write the golden snapshot into " + root + ": " + reason);
        });
        if (Files.isDirectory(root) && !Files.isRegularFile(root.resolve(MARKER))) {
            List<String> present = files();
            if (!present.isEmpty()) {
                throw new OutputException(root,
                        "goldenDirectory " + root + " holds files hardway did not write (such as "
                        + present.get(0) + ") and no " + MARKER + " marker. hardway removes from its golden "
                        + "directory every file it no longer generates, so it only uses an empty directory or one it "
                        + "created; point goldenDirectory at a directory of its own, e.g. golden/ next to "
                        + "cluster.yaml");
            }
        }
    }

    /**
     * Makes the directory hold exactly {@code snapshot}: writes the files whose text changed (atomically, so a
     * reader never sees half a file), leaves the others and their mtimes alone, and removes files and then empty
     * directories the snapshot no longer has.
     */
    public GoldenFiles write(SortedMap<String, String> snapshot) {
        return stage(snapshot).commit();
    }

    /**
     * The first half of {@link #write}: every new file is written where the directory does not see it yet (beside
     * it for a first snapshot, in its journal otherwise), so that this file-system work can overlap other work and
     * still be thrown away. Nothing in the directory changes until {@link Staged#commit}.
     */
    public Staged stage(SortedMap<String, String> snapshot) {
        checkWritable(); // before reading: an unusable directory is named as such, not as unreadable
        return stageChecked(snapshot, read());
    }

    /**
     * {@link #stage(SortedMap)}, compared with {@code current}: the directory as {@link #read} returned it under
     * the locks of the run that stages, which no other run can have changed since, so that a large snapshot's
     * thousands of files are read once per run, not twice.
     */
    public Staged stage(SortedMap<String, String> snapshot, SortedMap<String, String> current) {
        checkWritable();
        return stageChecked(snapshot, current);
    }

    private Staged stageChecked(SortedMap<String, String> snapshot, SortedMap<String, String> current) {
        snapshot.keySet().forEach(GoldenDirectory::checkRelative);
        if (isFresh()) {
            return stageFresh(snapshot);
        }
        return stageChange(snapshot, current);
    }

    /** A snapshot written but not yet in place: {@link #commit} puts it there, {@link #abort} throws it away. */
    public interface Staged {
        GoldenFiles commit();

        void abort();
    }

    private Staged stageChange(SortedMap<String, String> snapshot, SortedMap<String, String> current) {
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        try {
            Files.createDirectories(root);
            FileTransaction.recover(root);
            FileTransaction.deleteTree(staging()); // left beside it by a first run that was killed
            SortedMap<String, FileTransaction.Write> writes = new TreeMap<>();
            if (!Files.isRegularFile(root.resolve(MARKER))) {
                writes.put(MARKER, new FileTransaction.Write(MARKER_TEXT.getBytes(StandardCharsets.UTF_8),
                        FileModes.PUBLIC));
            }
            for (String stale : current.keySet()) {
                if (!snapshot.containsKey(stale)) {
                    removed.add(stale);
                }
            }
            // as read() reads them: a file that differs only in CRLF line ends is unchanged, as compare() says
            snapshot.forEach((key, text) -> {
                String content = normalize(text);
                if (content.equals(current.get(key))) {
                    unchanged.add(key);
                } else {
                    writes.put(key, new FileTransaction.Write(content.getBytes(StandardCharsets.UTF_8),
                            FileModes.PUBLIC));
                    written.add(key);
                }
            });
            // one transaction: a reviewer never finds half a snapshot after an interrupted run; not synced file by
            // file, since generate writes it again from the spec and the PKI
            FileTransaction.Prepared prepared = FileTransaction.prepare(root, writes, new java.util.TreeSet<>(removed),
                    false);
            GoldenFiles outcome = new GoldenFiles(written, unchanged, removed);
            return new Staged() {
                @Override
                public GoldenFiles commit() {
                    prepared.commit();
                    return outcome;
                }

                @Override
                public void abort() {
                    prepared.abort();
                }
            };
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    private OutputException cannotWrite(IOException e) {
        return new OutputException(root, "cannot write the golden snapshot into " + root + ": " + e.getMessage(), e);
    }

    /**
     * Absent: nothing to keep, compare or replace, and a rename beside it puts a whole snapshot in its place. An
     * existing directory, even an empty one, is written through its journal: it may be a mount point, which no
     * rename replaces, and that must be known before the PKI commits, not after.
     */
    private boolean isFresh() {
        return !Files.exists(root, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * A first snapshot, written whole beside the directory and renamed into its place: one rename makes it appear
     * all at once, as the journal would, at a third of the journal's file-system work (no staged tree to build,
     * move file by file and remove), which on a thousand-node cluster's ten thousand directories is seconds.
     * When the directory gained entries meanwhile, the commit writes through the journal instead.
     */
    private Staged stageFresh(SortedMap<String, String> snapshot) {
        Path staging = staging();
        try {
            FileTransaction.deleteTree(staging); // left by a run that was killed while writing it
            Files.createDirectories(staging);
            SortedMap<String, byte[]> files = new TreeMap<>();
            files.put(MARKER, MARKER_TEXT.getBytes(StandardCharsets.UTF_8));
            snapshot.forEach((name, text) -> files.put(name, normalize(text).getBytes(StandardCharsets.UTF_8)));
            for (Path dir : files.keySet().stream().map(name -> staging.resolve(name).getParent())
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))) {
                Files.createDirectories(dir);
            }
            new WorkQueue().forEachFile(List.copyOf(files.entrySet()), e -> {
                Path target = staging.resolve(e.getKey());
                Files.write(target, e.getValue());
                Files.setPosixFilePermissions(target, FileModes.PUBLIC);
            });
        } catch (IOException e) {
            OutputException failed = cannotWrite(e);
            discard(staging, failed);
            throw failed;
        }
        return new Staged() {
            @Override
            public GoldenFiles commit() {
                try {
                    Files.createDirectories(root.getParent());
                    // rename(2) replaces an empty directory; a directory that gained entries meanwhile is refused
                    Files.move(staging, root, StandardCopyOption.ATOMIC_MOVE);
                } catch (DirectoryNotEmptyException | FileAlreadyExistsException gainedEntries) {
                    discard(staging, null);
                    return stageChange(snapshot, read()).commit();
                } catch (IOException e) {
                    OutputException failed = cannotWrite(e);
                    discard(staging, failed);
                    throw failed;
                }
                return new GoldenFiles(List.copyOf(snapshot.keySet()), List.of(), List.of());
            }

            @Override
            public void abort() {
                discard(staging, null);
            }
        };
    }

    /** Where a first snapshot is written before it is renamed into place. */
    private Path staging() {
        return root.resolveSibling("." + root.getFileName() + STAGING_SUFFIX);
    }

    /** Removes a staging directory; a failure to do so is added to {@code failure}, or thrown when there is none. */
    private void discard(Path staging, RuntimeException failure) {
        try {
            FileTransaction.deleteTree(staging);
        } catch (IOException cleanup) {
            if (failure == null) {
                throw cannotWrite(cleanup);
            }
            failure.addSuppressed(cleanup);
        }
    }

    /**
     * Snapshot files present, sorted, as '/'-separated relative paths; dot-named files and directories skipped.
     * A symbolic link inside the snapshot is refused, naming it: followed, a write would land outside the directory
     * and a comparison would read what is not there. (The directory itself may be a link.)
     */
    private List<String> files() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<String> files = new ArrayList<>();
        try {
            Path tree = tree();
            walk(tree, files);
        } catch (IOException e) {
            throw new OutputException(root, "cannot list " + root + ": " + e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }

    private void walk(Path tree, List<String> files) throws IOException {
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String relative = relative(tree, p);
                if (relative.isEmpty() || hidden(relative)) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    throw new OutputException(root.resolve(relative), "the golden snapshot " + root + " holds a "
                            + "symbolic link, " + relative + " -> " + Files.readSymbolicLink(p) + "; hardway writes "
                            + "only plain files and directories there and neither follows nor replaces a link: "
                            + "remove it, and generate writes the snapshot in its place");
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(relative);
                }
            }
        }
    }

    /** Where the snapshot's entries are: the directory, or what it links to. */
    private Path tree() throws IOException {
        return Files.isSymbolicLink(root) ? root.toRealPath() : root;
    }

    private static String relative(Path tree, Path p) {
        return tree.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    private static boolean hidden(String relative) {
        return Arrays.stream(relative.split("/")).anyMatch(s -> s.startsWith("."));
    }

    private static void checkRelative(String key) {
        // hidden() also rejects ".." segments
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//") || key.contains("\\")
                || hidden(key)) {
            throw new IllegalArgumentException("not a snapshot path: " + key);
        }
    }

    /** LF line ends: what hardway generates and what a Windows checkout turns back into after CRLF conversion. */
    static String normalize(String text) {
        return text.replace("\r\n", "\n");
    }
}
