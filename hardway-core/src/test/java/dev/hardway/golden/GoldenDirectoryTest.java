package dev.hardway.golden;

import dev.hardway.io.FileTransaction;
import dev.hardway.model.GoldenComparison;
import dev.hardway.model.GoldenFiles;
import dev.hardway.model.OutputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldenDirectoryTest {
    @TempDir
    Path tmp;

    private static SortedMap<String, String> snapshot(String... pathsAndTexts) {
        SortedMap<String, String> out = new TreeMap<>();
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            out.put(pathsAndTexts[i], pathsAndTexts[i + 1]);
        }
        return out;
    }

    @Test
    void write_intoAbsentDirectory_writesEveryFileAndTheMarker() throws IOException {
        GoldenDirectory golden = new GoldenDirectory(tmp.resolve("golden"));

        GoldenFiles outcome = golden.write(snapshot("admin.kubeconfig", "a\n", "worker-0/etc/x.conf", "x\n"));

        assertEquals(List.of("admin.kubeconfig", "worker-0/etc/x.conf"), outcome.written());
        assertEquals("x\n", Files.readString(tmp.resolve("golden/worker-0/etc/x.conf")));
        assertTrue(Files.isRegularFile(tmp.resolve("golden").resolve(GoldenDirectory.MARKER)));
    }

    @Test
    void write_firstSnapshot_appearsWholeInAnEmptyDirectory_replacingWhatAKilledRunLeftBeside() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("golden"));
        // a first write killed half-way leaves its staging directory beside the snapshot, never in it
        Path staging = tmp.resolve(".golden.hardway-new");
        Files.createDirectories(staging.resolve("worker-9/etc"));
        Files.writeString(staging.resolve("worker-9/etc/half.conf"), "half");

        GoldenFiles outcome = new GoldenDirectory(root).write(snapshot("worker-0/etc/x.conf", "x\r\n", "PKI", "p\n"));

        assertEquals(List.of("PKI", "worker-0/etc/x.conf"), outcome.written());
        assertEquals("x\n", Files.readString(root.resolve("worker-0/etc/x.conf")));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("PKI"))));
        assertTrue(Files.isRegularFile(root.resolve(GoldenDirectory.MARKER)));
        assertFalse(Files.exists(root.resolve("worker-9")), "nothing of the killed run's staging");
        assertFalse(Files.exists(staging));
        try (var entries = Files.list(tmp)) {
            assertEquals(List.of(root), entries.toList(), "no staging directory left beside it");
        }
    }

    @Test
    void write_firstSnapshotFailingHalfWay_leavesNoStagingBehind() throws IOException {
        Path root = tmp.resolve("golden");
        for (int trial = 0; trial < 5; trial++) {
            SortedMap<String, String> many = new TreeMap<>();
            for (int i = 0; i < 2000; i++) {
                many.put(String.format("worker-%04d/etc/kubelet.conf", i), "x".repeat(2048));
            }
            // a file that is also a directory: its write fails while the other files are still being written
            many.put("worker-1000/etc", "not a directory\n");
            assertThrows(OutputException.class, () -> new GoldenDirectory(root).write(many));
            try (var entries = Files.list(tmp)) {
                assertEquals(List.of(), entries.toList(), "trial " + trial + ": nothing left beside the snapshot");
            }
        }
    }

    @Test
    void write_rerunWithSameSnapshot_rewritesNothing() throws IOException {
        GoldenDirectory golden = new GoldenDirectory(tmp.resolve("golden"));
        SortedMap<String, String> s = snapshot("worker-0/a", "1\n", "worker-0/b", "2\n");
        golden.write(s);
        Path a = tmp.resolve("golden/worker-0/a");
        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(a, old);

        GoldenFiles again = golden.write(s);

        assertTrue(again.upToDate());
        assertEquals(List.of("worker-0/a", "worker-0/b"), again.unchanged());
        assertEquals(old, Files.getLastModifiedTime(a));
    }

    @Test
    void write_nodeRemovedFromSpec_removesItsFilesAndEmptyDirectories() {
        GoldenDirectory golden = new GoldenDirectory(tmp.resolve("golden"));
        golden.write(snapshot("worker-0/etc/a", "1\n", "worker-1/etc/a", "1\n"));

        GoldenFiles outcome = golden.write(snapshot("worker-0/etc/a", "1\n"));

        assertEquals(List.of("worker-1/etc/a"), outcome.removed());
        assertFalse(Files.exists(tmp.resolve("golden/worker-1")));
    }

    @Test
    void write_leavesDotFilesAlone() throws IOException {
        Path root = tmp.resolve("golden");
        new GoldenDirectory(root).write(snapshot("a", "1\n"));
        Files.writeString(root.resolve(".gitattributes"), "* text eol=lf\n");

        new GoldenDirectory(root).write(snapshot("b", "2\n"));

        assertTrue(Files.exists(root.resolve(".gitattributes")));
        assertTrue(new GoldenDirectory(root).compare(snapshot("b", "2\n")).matches());
    }

    @Test
    void write_unmarkedDirectoryWithOtherFiles_failsAndTouchesNothing() throws IOException {
        Files.writeString(tmp.resolve("pom.xml"), "<project/>");

        OutputException e = assertThrows(OutputException.class,
                () -> new GoldenDirectory(tmp).write(snapshot("a", "1\n")));

        assertTrue(e.getMessage().contains("pom.xml"), e.getMessage());
        assertTrue(Files.exists(tmp.resolve("pom.xml")));
        assertFalse(Files.exists(tmp.resolve("a")));
    }

    @Test
    void write_crlfInSnapshot_isWrittenWithLf() throws IOException {
        new GoldenDirectory(tmp.resolve("g")).write(snapshot("a", "x\r\ny\r\n"));

        assertEquals("x\ny\n", Files.readString(tmp.resolve("g/a"), StandardCharsets.UTF_8));
    }

    @Test
    void compare_sameSnapshot_matches() {
        GoldenDirectory golden = new GoldenDirectory(tmp.resolve("golden"));
        SortedMap<String, String> s = snapshot("a", "1\n", "n/b", "ü\n");
        golden.write(s);

        GoldenComparison c = golden.compare(s);

        assertTrue(c.matches(), c.report());
        assertTrue(c.report().contains("matches"));
    }

    @Test
    void compare_crlfCheckout_stillMatches() throws IOException {
        Path root = tmp.resolve("golden");
        new GoldenDirectory(root).write(snapshot("a", "1\n2\n"));
        Files.writeString(root.resolve("a"), "1\r\n2\r\n");

        assertTrue(new GoldenDirectory(root).compare(snapshot("a", "1\n2\n")).matches());
    }

    @Test
    void compare_changedMissingAndExtraFiles_reportsEachWithAUnifiedDiff() {
        GoldenDirectory golden = new GoldenDirectory(tmp.resolve("golden"));
        golden.write(snapshot("worker-0/kubelet-config.yaml", "a: 1\nclusterDNS:\n  - 10.32.0.10\nz: 2\n",
                "worker-0/same", "s\n", "old-node/FILES", "x\n"));

        GoldenComparison c = golden.compare(snapshot(
                "worker-0/kubelet-config.yaml", "a: 1\nclusterDNS:\n  - 10.32.0.53\nz: 2\n",
                "worker-0/same", "s\n", "worker-1/FILES", "y\n"));

        assertFalse(c.matches());
        assertEquals(List.of("worker-0/kubelet-config.yaml"),
                c.changed().stream().map(GoldenComparison.FileDifference::path).toList());
        assertEquals(List.of("worker-1/FILES"), c.missing());
        assertEquals(List.of("old-node/FILES"), c.extra());
        String diff = c.changed().get(0).diff();
        assertEquals("""
                --- a/worker-0/kubelet-config.yaml
                +++ b/worker-0/kubelet-config.yaml
                @@ -1,4 +1,4 @@
                 a: 1
                 clusterDNS:
                -  - 10.32.0.10
                +  - 10.32.0.53
                 z: 2
                """, diff);
        String report = c.report();
        assertTrue(report.contains("1 file differs, 1 missing, 1 extra"), report);
        assertTrue(report.contains(diff), report);
        assertTrue(report.contains("  worker-1/FILES\n"), report);
        assertTrue(report.contains("  old-node/FILES\n"), report);
        assertTrue(report.strip().endsWith("`mvn hardway:generate`, review the change with `git diff` and commit it "
                + "with cluster.yaml."), report);
    }

    @Test
    void compare_missingFinalNewline_showsInTheDiff() {
        GoldenDirectory golden = new GoldenDirectory(tmp.resolve("golden"));
        golden.write(snapshot("a", "x\n"));

        String diff = golden.compare(snapshot("a", "x")).changed().get(0).diff();

        assertTrue(diff.contains("+\\ No newline at end of file"), diff);
    }

    @Test
    void compare_noDirectory_reportsEverythingMissing() {
        GoldenComparison c = new GoldenDirectory(tmp.resolve("nope")).compare(snapshot("a", "1\n"));

        assertFalse(c.matches());
        assertFalse(c.directoryExists());
        assertEquals(List.of("a"), c.missing());
        assertTrue(c.report().startsWith("There is no golden snapshot in "), c.report());
        assertTrue(c.report().contains("mvn hardway:generate"));
    }

    @Test
    void compare_customRefreshCommandAndNotes_endTheReport() {
        GoldenComparison c = new GoldenDirectory(tmp.resolve("nope")).compare(snapshot("a", "1\n"));

        String report = c.report("./gradlew hardway", List.of("note one"));

        assertTrue(report.contains("\nnote one\n"), report);
        assertTrue(report.strip().endsWith("commit it with cluster.yaml."), report);
        assertTrue(report.contains("`./gradlew hardway`"), report);
    }

    @Test
    void write_pathOutsideTheDirectory_isRejected() {
        GoldenDirectory golden = new GoldenDirectory(tmp.resolve("g"));

        assertThrows(IllegalArgumentException.class, () -> golden.write(snapshot("../escape", "x")));
        assertThrows(IllegalArgumentException.class, () -> golden.write(snapshot("/abs", "x")));
    }

    @Test
    void write_aStrayFileWhereANodesDirectoryGoes_isReplacedByTheNodesFiles() throws IOException {
        Path root = tmp.resolve("golden");
        GoldenDirectory golden = new GoldenDirectory(root);
        golden.write(snapshot("worker-0/etc/x.conf", "x\n"));
        Files.writeString(root.resolve("worker-1"), "a note left where the next node's directory goes\n");

        GoldenFiles outcome = golden.write(snapshot("worker-0/etc/x.conf", "x\n", "worker-1/etc/x.conf", "y\n"));

        assertEquals(List.of("worker-1/etc/x.conf"), outcome.written());
        assertEquals(List.of("worker-1"), outcome.removed());
        assertEquals(snapshot("worker-0/etc/x.conf", "x\n", "worker-1/etc/x.conf", "y\n"), golden.read());
        assertFalse(Files.exists(root.resolve(FileTransaction.JOURNAL)));
    }

    @Test
    void read_aSnapshotCommittedButNotYetApplied_isReadAsApplied() throws IOException {
        Path root = tmp.resolve("golden");
        GoldenDirectory golden = new GoldenDirectory(root);
        golden.write(snapshot("worker-0/etc/a.conf", "old\n", "worker-0/etc/gone.conf", "bye\n"));
        SortedMap<String, String> next = snapshot("worker-0/etc/a.conf", "new\n", "worker-1/etc/b.conf", "b\n");
        golden.stage(next);
        // what a run killed right after deciding its commit leaves: the marker, no rename done yet
        Files.writeString(root.resolve(FileTransaction.JOURNAL).resolve("COMMITTED"), "");

        assertEquals(next, golden.read(), "a reader sees the state that run decided");
        assertTrue(golden.compare(next).matches(), "and verify agrees with it");
        golden.write(next); // the next run rolls it forward
        assertEquals(next, golden.read());
        assertFalse(Files.exists(root.resolve(FileTransaction.JOURNAL)));
    }

    @Test
    void aSymbolicLinkInTheSnapshot_isRefusedNamingIt_andNothingIsWrittenWhereItLeads() throws IOException {
        Path root = tmp.resolve("golden");
        GoldenDirectory golden = new GoldenDirectory(root);
        golden.write(snapshot("worker-0/etc/x.conf", "x\n"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        FileTransaction.deleteTree(root.resolve("worker-0"));
        Files.createSymbolicLink(root.resolve("worker-0"), elsewhere);

        OutputException e = assertThrows(OutputException.class,
                () -> golden.write(snapshot("worker-0/etc/x.conf", "changed\n")));

        assertTrue(e.getMessage().contains("worker-0 -> " + elsewhere), e.getMessage());
        try (var entries = Files.list(elsewhere)) {
            assertEquals(List.of(), entries.toList(), "nothing written through the link");
        }
        assertThrows(OutputException.class, golden::read, "a reader is told as well");
    }

    @Test
    void aGoldenDirectoryThatIsALink_isWrittenAndReadWhereItLeads() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real-golden"));
        Path link = Files.createSymbolicLink(tmp.resolve("golden"), real);
        GoldenDirectory golden = new GoldenDirectory(link);
        golden.write(snapshot("worker-0/etc/x.conf", "x\n", "worker-1/etc/y.conf", "y\n"));

        GoldenFiles outcome = golden.write(snapshot("worker-0/etc/x.conf", "x\n"));

        assertEquals(List.of("worker-1/etc/y.conf"), outcome.removed());
        assertEquals(snapshot("worker-0/etc/x.conf", "x\n"), golden.read());
        assertEquals("x\n", Files.readString(real.resolve("worker-0/etc/x.conf")));
        assertFalse(Files.exists(real.resolve("worker-1")), "the emptied directory removed");
    }

    @Test
    void write_newFileWhereAStrayDirectoryOfSnapshotFilesStands_replacesIt_andTheNextRunIsClean() throws IOException {
        Path root = tmp.resolve("golden");
        GoldenDirectory golden = new GoldenDirectory(root);
        golden.write(snapshot("worker-0/etc/x.conf", "x\n"));
        // a directory of the name a new file takes, holding what reads as snapshot files (deeper ones too)
        Files.createDirectories(root.resolve("worker-0/etc/y.conf/deeper"));
        Files.writeString(root.resolve("worker-0/etc/y.conf/notes"), "n\n");
        Files.writeString(root.resolve("worker-0/etc/y.conf/deeper/more"), "m\n");

        GoldenFiles outcome = golden.write(snapshot("worker-0/etc/x.conf", "x\n", "worker-0/etc/y.conf", "y\n"));

        assertEquals(List.of("worker-0/etc/y.conf/deeper/more", "worker-0/etc/y.conf/notes"), outcome.removed());
        assertEquals("y\n", Files.readString(root.resolve("worker-0/etc/y.conf")));
        assertFalse(Files.exists(root.resolve(dev.hardway.io.FileTransaction.JOURNAL)));
        assertEquals(List.of("worker-0/etc/x.conf", "worker-0/etc/y.conf"),
                golden.write(snapshot("worker-0/etc/x.conf", "x\n", "worker-0/etc/y.conf", "y\n")).unchanged());
    }

    @Test
    void write_newFileWhereADirectoryHoldsAFileHardwayKeeps_failsBeforeAnythingChanges_naming() throws IOException {
        Path root = tmp.resolve("golden");
        GoldenDirectory golden = new GoldenDirectory(root);
        golden.write(snapshot("worker-0/etc/x.conf", "x\n"));
        Files.createDirectories(root.resolve("worker-0/etc/y.conf"));
        Files.writeString(root.resolve("worker-0/etc/y.conf/.mine"), "a dot-named file is the user's\n");

        OutputException e = assertThrows(OutputException.class, () -> golden.write(
                snapshot("worker-0/etc/x.conf", "x2\n", "worker-0/etc/y.conf", "y\n")));

        assertTrue(e.getMessage().contains(root.resolve("worker-0/etc/y.conf") + ": it is a directory, holding "
                + "worker-0/etc/y.conf/.mine"), e.getMessage());
        assertEquals("x\n", Files.readString(root.resolve("worker-0/etc/x.conf")), "nothing changed");
        assertFalse(Files.exists(root.resolve(dev.hardway.io.FileTransaction.JOURNAL)), "no journal to wedge on");
        Files.delete(root.resolve("worker-0/etc/y.conf/.mine"));
        assertEquals(List.of("worker-0/etc/x.conf", "worker-0/etc/y.conf"),
                golden.write(snapshot("worker-0/etc/x.conf", "x2\n", "worker-0/etc/y.conf", "y\n")).written());
    }
}
