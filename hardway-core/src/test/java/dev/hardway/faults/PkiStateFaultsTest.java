package dev.hardway.faults;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.model.PkiStateException;
import dev.hardway.pki.Pem;
import dev.hardway.testing.GenerateProcess;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PKI directory is the one state a user cannot generate again. Each test injects a real failure (a killed
 * process, a full or read-only file system, a second run at the same time, a lost file) and checks that the PKI
 * moved to its next consistent state or stayed as it was, and that the next normal run succeeds with the same CA.
 */
class PkiStateFaultsTest {
    @TempDir
    Path work;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() {
        for (Path m : mounts) {
            run("umount", "-l", m.toString());
        }
    }

    private static void run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", argv) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A small file system of its own, so that "full" and "read-only" are real. */
    private Path tmpfs(String name, String options) throws IOException {
        ToolLookup.requireRoot("mounting a small tmpfs");
        Path dir = Files.createDirectories(work.resolve(name));
        run("mount", "-t", "tmpfs", "-o", options, "hardway-test", dir.toString());
        mounts.add(dir);
        return dir;
    }

    private static void remount(Path dir, String options) {
        run("mount", "-o", "remount," + options, dir.toString());
    }

    /** A cluster of 3 controllers and {@code workers} workers, RSA so that a run takes long enough to be killed. */
    private Path spec(int workers) throws IOException {
        StringBuilder s = new StringBuilder(TestClusters.yamlUpToControllers("faults", "1.32.3"));
        for (int i = 0; i < 3; i++) {
            s.append("  - name: controller-").append(i).append("\n    internalIp: 10.240.0.").append(10 + i).append('\n');
        }
        s.append("workers:\n");
        for (int i = 0; i < workers; i++) {
            s.append("  - name: worker-").append(i).append("\n    internalIp: 10.240.1.").append(10 + i).append('\n');
        }
        Path spec = work.resolve("cluster-" + workers + ".yaml");
        Files.writeString(spec, s.toString());
        return spec;
    }

    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(p).toString();
                if (!rel.equals(".hardway.lock")) {
                    out.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    private static final Pattern CA_DATA = Pattern.compile("certificate-authority-data: (\\S+)");

    /** The CA certificate an output's admin.kubeconfig trusts. */
    private static String caOf(Path out) throws IOException {
        Matcher m = CA_DATA.matcher(Files.readString(out.resolve("admin.kubeconfig")));
        assertTrue(m.find());
        return new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
    }

    /** Every certificate of the directory verifies against its CA, and every key belongs to its certificate. */
    private static void assertConsistent(Path pki) throws Exception {
        assertTrue(Files.exists(pki.resolve("ca.crt")) && Files.exists(pki.resolve("ca.key")), "CA complete");
        X509Certificate ca = Pem.certificate(Files.readString(pki.resolve("ca.crt")));
        try (Stream<Path> crts = Files.list(pki)) {
            for (Path crt : crts.filter(p -> p.toString().endsWith(".crt")).toList()) {
                X509Certificate cert = Pem.certificate(Files.readString(crt));
                if (cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                    cert.verify(ca.getPublicKey());
                }
                assertTrue(Files.exists(Path.of(crt.toString().replace(".crt", ".key"))), crt + " has its key");
            }
        }
        assertFalse(Files.exists(pki.resolve(".hardway-journal")), "a successful run leaves no journal");
    }

    @Test
    void killedAtManyPoints_neverBlocksTheNextRun_andTheCaSurvives() throws Exception {
        Path pki = work.resolve("pki");
        Path out = work.resolve("out");
        Path small = spec(2);
        Path large = spec(12);
        // a first run killed at once or mid-way leaves nothing that blocks the next
        GenerateProcess first = GenerateProcess.start(small, pki, out);
        Thread.sleep(700);
        first.kill();
        assertEquals(0, GenerateProcess.run(small, pki, out), "after a killed first run");
        byte[] ca = Files.readAllBytes(pki.resolve("ca.crt"));
        byte[] caKey = Files.readAllBytes(pki.resolve("ca.key"));
        // then runs that add ten workers (ten new RSA keys) are killed at spread-out moments
        long[] delays = {300, 900, 1500, 2100, 2700, 3300, 4200, 5500};
        int killedMidway = 0;
        for (long delay : delays) {
            GenerateProcess p = GenerateProcess.start(large, pki, out);
            Thread.sleep(delay);
            boolean alive = p.isAlive();
            p.kill();
            killedMidway += alive ? 1 : 0;
            assertArrayEquals(ca, Files.readAllBytes(pki.resolve("ca.crt")), "the CA after a kill at " + delay);
            assertArrayEquals(caKey, Files.readAllBytes(pki.resolve("ca.key")));
            assertEquals(0, GenerateProcess.run(small, pki, out), "the run after a kill at " + delay + " ms");
            assertConsistent(pki);
        }
        assertTrue(killedMidway >= 3, "at least some kills must land while the run works: " + killedMidway);
        assertEquals(0, GenerateProcess.run(large, pki, out));
        assertArrayEquals(ca, Files.readAllBytes(pki.resolve("ca.crt")));
        assertEquals(new String(ca, StandardCharsets.UTF_8), caOf(out));
    }

    @Test
    void twoRunsStartedTogetherOnOneEmptyPki_endWithOneCaSharedByBoth() throws Exception {
        Path spec = spec(2);
        for (int trial = 0; trial < 3; trial++) {
            Path pki = work.resolve("pki-" + trial);
            Path outA = work.resolve("a-" + trial);
            Path outB = work.resolve("b-" + trial);
            GenerateProcess a = GenerateProcess.start(spec, pki, outA);
            GenerateProcess b = GenerateProcess.start(spec, pki, outB);
            assertEquals(0, a.await(), a.output());
            assertEquals(0, b.await(), b.output());
            String ca = Files.readString(pki.resolve("ca.crt"));
            assertEquals(ca, caOf(outA), "trial " + trial);
            assertEquals(ca, caOf(outB), "trial " + trial);
        }
    }

    @Test
    void twoRunsOfOneProjectStartedTogether_leaveOneWholeGoldenSnapshot() throws Exception {
        Path spec = spec(2);
        for (int trial = 0; trial < 3; trial++) {
            Path project = Files.createDirectories(work.resolve("project-" + trial));
            Path pki = project.resolve("pki");
            Path out = project.resolve("target/hardway");
            Path golden = project.resolve("golden");
            GenerateProcess a = GenerateProcess.start(spec, pki, out, golden);
            GenerateProcess b = GenerateProcess.start(spec, pki, out, golden);
            assertEquals(0, a.await(), a.output());
            assertEquals(0, b.await(), b.output());
            var check = dev.hardway.api.Golden.verify(GenerationRequest.builder().specFile(spec).pkiDirectory(pki)
                    .build(), golden);
            assertTrue(check.matches(), "trial " + trial + ": " + check.report());
            try (Stream<Path> beside = Files.list(project)) {
                assertEquals(List.of(), beside.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
                        "trial " + trial + ": no staging directory beside golden");
            }
            assertFalse(Files.exists(golden.resolve(".hardway-journal")), "trial " + trial);
        }
    }

    @Test
    void fullDisk_failsCleanly_leavesThePkiAsItWas_andTheNextRunSucceeds() throws Exception {
        Path pki = tmpfs("pki-fs", "size=4m,mode=0700");
        Path out = work.resolve("out");
        assertEquals(0, GenerateProcess.run(spec(1), pki, out));
        Map<String, byte[]> before = files(pki);
        var store = Files.getFileStore(pki);
        long used = store.getTotalSpace() - store.getUnallocatedSpace();
        // room for a few more files but not for ten workers' keys and certificates
        remount(pki, "size=" + (used + 3 * 4096));
        GenerateProcess full = GenerateProcess.start(spec(10), pki, out);
        assertEquals(1, full.await(), full.output());
        assertTrue(full.output().contains("No space left on device"), full.output());
        assertTrue(full.output().contains("OutputException: cannot write into " + pki), full.output());
        assertSameFiles(before, files(pki));
        remount(pki, "size=4m");
        assertEquals(0, GenerateProcess.run(spec(10), pki, out));
        assertArrayEquals(before.get("ca.crt"), Files.readAllBytes(pki.resolve("ca.crt")));
    }

    @Test
    void fullDiskForThePki_whileTheGoldenSnapshotIsStaged_leavesGoldenAsItWas_andNothingStagedBehind()
            throws Exception {
        Path pki = tmpfs("pki-golden-fs", "size=4m,mode=0700");
        Path out = work.resolve("out-golden");
        Path golden = work.resolve("golden");
        assertEquals(0, GenerateProcess.start(spec(1), pki, out, golden).await());
        Map<String, byte[]> goldenBefore = files(golden);
        Map<String, byte[]> outputsBefore = files(out);
        var store = Files.getFileStore(pki);
        remount(pki, "size=" + (store.getTotalSpace() - store.getUnallocatedSpace() + 3 * 4096));
        // ten workers: the outputs and report.json are staged and the snapshot is being written when the PKI's
        // journal runs out of space
        GenerateProcess full = GenerateProcess.start(spec(10), pki, out, golden);
        assertEquals(1, full.await(), full.output());
        assertTrue(full.output().contains("No space left on device"), full.output());
        assertSameFiles(goldenBefore, files(golden));
        // every output as it was, the last good run's up-to-date record included: nothing committed
        assertTrue(outputsBefore.containsKey(".hardway-up-to-date"), "the first run left its record");
        assertSameFiles(outputsBefore, files(out));
        try (Stream<Path> beside = Files.list(work)) {
            assertEquals(List.of(), beside.filter(p -> p.getFileName().toString().startsWith(".golden")).toList(),
                    "no staging directory beside golden");
        }
        assertFalse(Files.exists(golden.resolve(".hardway-journal")), "no journal left in golden");
        remount(pki, "size=4m");
        assertEquals(0, GenerateProcess.start(spec(10), pki, out, golden).await());
        assertTrue(Files.isRegularFile(golden.resolve("worker-9/FILES")), "the next run writes the snapshot");
    }

    @Test
    void fullDiskForThePki_onAFirstRun_leavesNoGoldenSnapshot() throws Exception {
        Path pki = tmpfs("pki-first-fs", "size=4m,mode=0700");
        // room for the lock file and a few keys, not for a cluster's
        remount(pki, "size=" + 8 * 4096);
        Path golden = work.resolve("golden-first");
        GenerateProcess full = GenerateProcess.start(spec(10), pki, work.resolve("out-first"), golden);
        assertEquals(1, full.await(), full.output());
        assertTrue(full.output().contains("No space left on device"), full.output());
        assertFalse(Files.exists(golden), "no snapshot of a PKI that was never written");
        try (Stream<Path> beside = Files.list(work)) {
            assertEquals(List.of(), beside.filter(p -> p.getFileName().toString().startsWith(".golden")).toList(),
                    "no staging directory beside golden");
        }
    }

    @Test
    void outputDirectoryReadOnlyOrFull_leavesThePkiByteIdentical() throws Exception {
        Path pki = work.resolve("pki");
        Path out = tmpfs("out-fs", "size=8m,mode=0700");
        assertEquals(0, GenerateProcess.run(spec(1), pki, out));
        Map<String, byte[]> before = files(pki);
        Map<String, byte[]> outputs = files(out);
        var store = Files.getFileStore(out);
        // read-only is seen before anything is written; full only while the bundles are written: room for one
        // more, not for ten
        Map<String, String> faults = new java.util.LinkedHashMap<>();
        faults.put("ro", "OutputException: cannot write the output directory " + out
                + ": it is on a read-only file system");
        faults.put("size=" + (store.getTotalSpace() - store.getUnallocatedSpace() + 8 * 4096),
                "No space left on device");
        for (Map.Entry<String, String> fault : faults.entrySet()) {
            remount(out, fault.getKey());
            GenerateProcess p = GenerateProcess.start(spec(10), pki, out);
            assertEquals(1, p.await(), p.output());
            assertTrue(p.output().contains(fault.getValue()), fault.getKey() + ": " + p.output());
            assertSameFiles(before, files(pki));
            assertSameFiles(outputs, files(out));
            remount(out, "rw,size=8m");
        }
        assertEquals(0, GenerateProcess.run(spec(10), pki, out));
        assertArrayEquals(before.get("ca.crt"), Files.readAllBytes(pki.resolve("ca.crt")));
    }

    @Test
    void goldenDirectoryReadOnlyOrFull_failsTheRunBeforeThePkiOrTheOutputsChange() throws Exception {
        Path pki = work.resolve("pki-golden-ro");
        Path out = work.resolve("out-golden-ro");
        Path fs = tmpfs("golden-fs", "size=8m");
        Path golden = fs.resolve("golden");
        assertEquals(0, GenerateProcess.start(spec(1), pki, out, golden).await());
        Map<String, byte[]> pkiBefore = files(pki);
        Map<String, byte[]> outputsBefore = files(out);
        Map<String, byte[]> goldenBefore = files(golden);
        var store = Files.getFileStore(fs);
        for (String fault : List.of("ro", "size=" + (store.getTotalSpace() - store.getUnallocatedSpace() + 4096))) {
            remount(fs, fault);
            // two more workers: new keys, new bundles and new snapshot files, none of which may land
            GenerateProcess p = GenerateProcess.start(spec(3), pki, out, golden);
            assertEquals(1, p.await(), fault + ": " + p.output());
            assertTrue(p.output().contains("OutputException: ") && p.output().contains(golden.toString()),
                    fault + ": " + p.output());
            assertFalse(p.output().contains("Self-suppression"), p.output());
            assertSameFiles(pkiBefore, files(pki));
            assertSameFiles(outputsBefore, files(out));
            assertSameFiles(goldenBefore, files(golden));
            remount(fs, "rw,size=8m");
        }
        assertEquals(0, GenerateProcess.start(spec(3), pki, out, golden).await());
        assertTrue(Files.isRegularFile(golden.resolve("worker-2/FILES")), "the next run writes the snapshot");
        assertArrayEquals(pkiBefore.get("ca.crt"), Files.readAllBytes(pki.resolve("ca.crt")));
    }

    @Test
    void goldenDirectoryThatIsAnEmptyMountPoint_takesTheFirstSnapshot() throws Exception {
        Path golden = tmpfs("golden-mount", "size=8m");
        GenerateProcess p = GenerateProcess.start(spec(1), work.resolve("pki-mount"), work.resolve("out-mount"),
                golden);
        assertEquals(0, p.await(), p.output());
        assertTrue(Files.isRegularFile(golden.resolve("worker-0/FILES")), "written into the mounted directory");
        assertFalse(Files.exists(golden.resolve(".hardway-journal")), "its journal applied and removed");
    }

    @Test
    void outputDirectoryUnderAFile_onAFirstRun_leavesNoPkiDirectory() throws Exception {
        Path file = Files.writeString(work.resolve("a-file"), "not a directory\n");
        Path pki = work.resolve("pki-never");
        GenerateProcess p = GenerateProcess.start(spec(1), pki, file.resolve("out"));
        assertEquals(1, p.await(), p.output());
        assertTrue(p.output().contains("cannot write the output directory " + file.resolve("out") + ": " + file
                + " is a file, not a directory"), p.output());
        assertFalse(Files.exists(pki), "nothing created, not even the PKI directory");
    }

    @Test
    void lostEncryptionKeySaKeyOrCaCertificate_isAnErrorNamingIt_andNothingIsWritten() throws Exception {
        Path spec = spec(1);
        for (String lost : List.of("encryption-key", "sa.key", "ca.crt", "etcd-ca.key")) {
            Path pki = work.resolve("pki-" + lost);
            Path out = work.resolve("out-" + lost);
            Hardway.generate(GenerationRequest.builder().specFile(spec).pkiDirectory(pki).outputDirectory(out)
                    .build());
            Files.delete(pki.resolve(lost));
            Map<String, byte[]> pkiBefore = files(pki);
            Map<String, byte[]> outBefore = files(out);
            PkiStateException e = assertThrows(PkiStateException.class, () -> Hardway.generate(
                    GenerationRequest.builder().specFile(spec).pkiDirectory(pki).outputDirectory(out).build()));
            assertTrue(e.getMessage().contains(lost), e.getMessage());
            // the details as data, for tools that act on them
            assertEquals(PkiStateException.Reason.MISSING, e.reason(), e.getMessage());
            assertEquals(pki.resolve(lost), e.file(), e.getMessage());
            assertTrue(e.getMessage().contains("restore"), e.getMessage());
            assertSameFiles(pkiBefore, files(pki));
            assertSameFiles(outBefore, files(out));
        }
    }

    @Test
    void damagedEncryptionKey_isNeverSilentlyReplaced() throws Exception {
        Path spec = spec(1);
        Path pki = work.resolve("pki");
        Path out = work.resolve("out");
        Hardway.generate(GenerationRequest.builder().specFile(spec).pkiDirectory(pki).outputDirectory(out).build());
        for (byte[] damaged : List.of(new byte[0], new byte[16], new byte[32])) {
            Files.write(pki.resolve("encryption-key"), damaged);
            PkiStateException e = assertThrows(PkiStateException.class, () -> Hardway.generate(
                    GenerationRequest.builder().specFile(spec).pkiDirectory(pki).outputDirectory(out).build()));
            assertTrue(e.getMessage().contains("encryption-key"), e.getMessage());
            // a wrong length is damage; the right length with another fingerprint is a replaced file
            assertEquals(damaged.length == 32 ? PkiStateException.Reason.MISMATCHED : PkiStateException.Reason.DAMAGED,
                    e.reason(), e.getMessage());
            assertEquals(pki.resolve("encryption-key"), e.file());
        }
    }

    @Test
    void outputsArePrivate_loosenedKeysAreRepaired_andForeignFilesSurvive() throws Exception {
        Path pki = work.resolve("pki");
        Path out = work.resolve("out");
        Path spec = spec(2);
        var first = Hardway.generate(GenerationRequest.builder().specFile(spec).pkiDirectory(pki).outputDirectory(out)
                .build());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        try (Stream<Path> outputs = Files.list(out)) {
            for (Path p : outputs.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
        assertEquals(first.written().size(), 6);
        Files.writeString(out.resolve("notes.tar.gz"), "not hardway's");
        Files.setPosixFilePermissions(pki.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));
        var second = Hardway.generate(GenerationRequest.builder().specFile(spec(1)).pkiDirectory(pki)
                .outputDirectory(out).build());
        assertTrue(second.warnings().stream().anyMatch(w -> w.contains("ca.key") && w.contains("readable by others")),
                second.warnings().toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("ca.key"))));
        assertEquals(List.of(out.resolve("worker-1.tar.gz")), second.removed());
        assertEquals("not hardway's", Files.readString(out.resolve("notes.tar.gz")));
    }
}
