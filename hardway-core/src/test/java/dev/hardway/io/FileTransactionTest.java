package dev.hardway.io;

import dev.hardway.model.OutputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process can die between any two steps of a commit. These tests lay out on disk exactly what such a death
 * leaves at each step (the journal half written; the marker written and some renames done) and check that the
 * next run's recovery ends in the old state or the new one, never in a mixture.
 */
class FileTransactionTest {
    @TempDir
    Path dir;

    private static final Map<String, String> OLD = Map.of("ca.crt", "old ca", "a.crt", "old a", "gone.crt", "bye");
    private static final Map<String, String> NEW = Map.of("ca.crt", "old ca", "a.crt", "new a", "a.key", "new key",
            "sub/b.crt", "new b");

    private void lay(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
    }

    private Map<String, String> state() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.startsWith(".")) {
                    out.put(rel, Files.readString(p));
                }
            }
        }
        return out;
    }

    private static SortedMap<String, FileTransaction.Write> writes() {
        SortedMap<String, FileTransaction.Write> w = new TreeMap<>();
        w.put("a.crt", new FileTransaction.Write("new a".getBytes(StandardCharsets.UTF_8), FileModes.PUBLIC));
        w.put("a.key", new FileTransaction.Write("new key".getBytes(StandardCharsets.UTF_8), FileModes.PRIVATE));
        w.put("sub/b.crt", new FileTransaction.Write("new b".getBytes(StandardCharsets.UTF_8), FileModes.PUBLIC));
        return w;
    }

    private List<Path> journalFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(dir.resolve(FileTransaction.JOURNAL).resolve(FileTransaction.FILES))) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void commit_appliesEveryWriteAndDelete_andLeavesNoJournal() throws IOException {
        lay(OLD);
        FileTransaction.prepare(dir, writes(), Set.of("gone.crt")).commit();
        assertEquals(new TreeMap<>(NEW), state());
        assertFalse(Files.exists(dir.resolve(FileTransaction.JOURNAL)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.key"))));
    }

    @Test
    void deathBeforeTheMarker_atEveryPointOfTheJournal_recoversTheOldState() throws IOException {
        lay(OLD);
        FileTransaction.prepare(dir, writes(), Set.of("gone.crt"));
        List<Path> staged = journalFiles();
        // a death while the journal was being written leaves any prefix of it, including a truncated last file
        for (int kept = staged.size(); kept >= 0; kept--) {
            if (kept < staged.size()) {
                Files.writeString(staged.get(kept), "trunc");
            }
            Path copy = Files.createTempDirectory(dir.getParent(), "crash");
            copyTree(dir, copy);
            assertFalse(FileTransaction.recover(copy), "no marker, nothing to roll forward");
            assertEquals(new TreeMap<>(OLD), stateOf(copy), "kept " + kept + " journal files");
            assertFalse(Files.exists(copy.resolve(FileTransaction.JOURNAL)));
        }
    }

    /** A stray file {@code worker-1} to delete, where the directory of the new {@code worker-1/etc/x.conf} goes. */
    private FileTransaction.Prepared prepareNodeFilesOverAStrayFile() throws IOException {
        lay(Map.of("worker-1", "a stray file where the node's directory goes"));
        SortedMap<String, FileTransaction.Write> w = new TreeMap<>();
        w.put("worker-1/etc/x.conf", new FileTransaction.Write("x".getBytes(StandardCharsets.UTF_8),
                FileModes.PUBLIC));
        return FileTransaction.prepare(dir, w, Set.of("worker-1"));
    }

    @Test
    void aFileThatLeaves_whereANewFilesDirectoryGoes_givesWayToIt() throws IOException {
        prepareNodeFilesOverAStrayFile().commit();

        assertEquals(Map.of("worker-1/etc/x.conf", "x"), state());
        assertFalse(Files.exists(dir.resolve(FileTransaction.JOURNAL)));
    }

    @Test
    void deathAfterEveryRename_whereADeletedFilesPathIsNowADirectory_recoversTheNewState() throws IOException {
        prepareNodeFilesOverAStrayFile();
        Path journal = dir.resolve(FileTransaction.JOURNAL);
        Files.writeString(journal.resolve(FileTransaction.COMMITTED), "");
        // what a commit killed after its renames and before removing its journal leaves
        Files.delete(dir.resolve("worker-1"));
        Files.createDirectories(dir.resolve("worker-1/etc"));
        Files.move(journal.resolve(FileTransaction.FILES).resolve("worker-1/etc/x.conf"),
                dir.resolve("worker-1/etc/x.conf"));

        assertTrue(FileTransaction.recover(dir));

        assertEquals(Map.of("worker-1/etc/x.conf", "x"), state());
        assertFalse(Files.exists(journal));
    }

    @Test
    void deletes_takeTheDirectoriesTheyEmpty_andLeaveEveryOtherEmptyDirectory() throws IOException {
        lay(Map.of("worker-1/etc/cni/x.conf", "x", "worker-1/var/y", "y", "worker-0/etc/z", "z"));
        Files.createDirectories(dir.resolve("mine/empty"));

        FileTransaction.prepare(dir, new TreeMap<>(), Set.of("worker-1/etc/cni/x.conf", "worker-1/var/y")).commit();

        assertFalse(Files.exists(dir.resolve("worker-1")), "emptied by the deletes, to the top");
        assertTrue(Files.isDirectory(dir.resolve("worker-0/etc")));
        assertTrue(Files.isDirectory(dir.resolve("mine/empty")), "not emptied by this change");
    }

    @Test
    void aRollForward_takesTheDirectoriesItsDeletesEmpty() throws IOException {
        lay(Map.of("worker-1/etc/x.conf", "x", "worker-0/a", "a"));
        FileTransaction.prepare(dir, new TreeMap<>(), Set.of("worker-1/etc/x.conf"));
        Files.writeString(dir.resolve(FileTransaction.JOURNAL).resolve(FileTransaction.COMMITTED), "");
        Files.delete(dir.resolve("worker-1/etc/x.conf")); // killed after the delete, before its directories went

        assertTrue(FileTransaction.recover(dir));

        assertFalse(Files.exists(dir.resolve("worker-1")));
        assertEquals(Map.of("worker-0/a", "a"), state());
    }

    @Test
    void deathAfterTheMarker_afterTheDeletesAndAnyNumberOfRenames_recoversTheNewState() throws IOException {
        // a commit deletes first, then renames: step 0 is the marker alone, step 1 the deletes, each next a rename
        for (int step = 0; step <= writes().size() + 1; step++) {
            int renamed = Math.max(0, step - 1);
            Path d = Files.createTempDirectory(dir, "run");
            for (Map.Entry<String, String> e : OLD.entrySet()) {
                Path p = d.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue());
            }
            FileTransaction.prepare(d, writes(), Set.of("gone.crt"));
            Path journal = d.resolve(FileTransaction.JOURNAL);
            Files.writeString(journal.resolve(FileTransaction.COMMITTED), "");
            assertEquals(Set.of("gone.crt"), FileTransaction.committedDeletes(d), "the decided deletes");
            if (step >= 1) {
                Files.delete(d.resolve("gone.crt"));
            }
            List<Path> staged;
            try (Stream<Path> walk = Files.walk(journal.resolve(FileTransaction.FILES))) {
                staged = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path from : staged.subList(0, renamed)) {
                Path to = d.resolve(journal.resolve(FileTransaction.FILES).relativize(from).toString());
                Files.createDirectories(to.getParent());
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            // what a reader sees before recovery: the decided state
            Map<String, byte[]> pending = FileTransaction.committedButUnapplied(d);
            assertEquals(staged.size() - renamed, pending.size());

            assertTrue(FileTransaction.recover(d));
            assertEquals(new TreeMap<>(NEW), stateOf(d), "after step " + step);
            assertFalse(FileTransaction.recover(d), "recovering twice changes nothing");
            assertEquals(new TreeMap<>(NEW), stateOf(d));
        }
    }

    @Test
    void failureWhileWritingTheJournal_leavesTheDirectoryAsItWas() throws IOException {
        lay(OLD);
        SortedMap<String, FileTransaction.Write> bad = new TreeMap<>(writes());
        bad.put("../outside", new FileTransaction.Write(new byte[0], FileModes.PUBLIC));
        assertThrows(IllegalArgumentException.class, () -> FileTransaction.prepare(dir, bad, Set.of()));
        assertEquals(new TreeMap<>(OLD), state());
        assertFalse(Files.exists(dir.resolve(FileTransaction.JOURNAL)));
        assertFalse(Files.exists(dir.getParent().resolve("outside")));
    }

    @Test
    void oneWriteFailingAmongManyInParallel_leavesNoJournalBehind() throws IOException {
        lay(OLD);
        for (int trial = 0; trial < 5; trial++) {
            SortedMap<String, FileTransaction.Write> many = new TreeMap<>();
            for (int i = 0; i < 400; i++) {
                many.put(String.format("k%04d.key", i), new FileTransaction.Write(new byte[4096], FileModes.PRIVATE));
            }
            // "k0200.key" is also the parent directory of another file: its own write fails while others still run
            many.put("k0200.key/inner", new FileTransaction.Write(new byte[1], FileModes.PRIVATE));
            assertThrows(OutputException.class, () -> FileTransaction.prepare(dir, many, Set.of()));
            assertFalse(Files.exists(dir.resolve(FileTransaction.JOURNAL)), "trial " + trial);
            assertEquals(new TreeMap<>(OLD), state());
        }
    }

    private Map<String, String> stateOf(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith(".") && !rel.startsWith("crash") && !rel.startsWith("run")) {
                    out.put(rel, Files.readString(p));
                }
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                String rel = from.relativize(p).toString();
                if (rel.startsWith("crash")) {
                    continue;
                }
                Path target = to.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
