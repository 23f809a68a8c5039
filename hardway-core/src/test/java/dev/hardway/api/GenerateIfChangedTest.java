package dev.hardway.api;

import dev.hardway.golden.GoldenDirectory;
import dev.hardway.io.TreeStat;
import dev.hardway.model.InvalidSpecException;
import dev.hardway.model.PkiChange;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run after a run with nothing changed does nothing, and every kind of change, however small, makes it generate:
 * the spec, a golden file, an output, a PKI file's mode, a template, the clock reaching a renewal, a record it
 * cannot trust.
 */
class GenerateIfChangedTest {
    @TempDir
    Path repo;

    private Path spec;
    private Path templates;

    @BeforeEach
    void firstRun() throws IOException {
        spec = repo.resolve("cluster.yaml");
        Files.copy(TestClusters.sample("minimal"), spec);
        templates = Files.createDirectories(repo.resolve("templates"));
        assertInstanceOf(GoldenUpdate.class, run());
    }

    private GenerationRequest.Builder request(Clock clock) {
        return GenerationRequest.builder().specFile(spec).pkiDirectory(repo.resolve("pki"))
                .outputDirectory(out()).templateDirectory(templates).clock(clock);
    }

    private GoldenRun run() {
        return run(TestClusters.fixedClock());
    }

    private GoldenRun run(Clock clock) {
        return Golden.generateIfChanged(request(clock).build(), golden());
    }

    private Path out() {
        return repo.resolve("target/hardway");
    }

    private Path golden() {
        return repo.resolve("golden");
    }

    /** Every file of the three directories with its mtime and inode: what "nothing written" means. */
    private List<TreeStat> everything() {
        return List.of(TreeStat.of(repo.resolve("pki"), Set.of()), TreeStat.of(out(), Set.of()),
                TreeStat.of(golden(), Set.of()));
    }

    private GoldenUpdate generates(GoldenRun run) {
        return assertInstanceOf(GoldenUpdate.class, run, "expected a run that generates, was " + run);
    }

    @Test
    void nothingChanged_isUpToDate_andWritesNothing() {
        List<TreeStat> before = everything();

        UpToDate upToDate = assertInstanceOf(UpToDate.class, run());

        assertEquals(before, everything());
        assertEquals("demo", upToDate.cluster());
        assertEquals(1, upToDate.controllers());
        assertEquals(1, upToDate.workers());
        assertEquals(Files.exists(out().resolve("report.json")) ? 3 : 2, upToDate.outputs());
        assertEquals(new GoldenDirectory(golden()).read().size(), upToDate.goldenFiles());
        assertTrue(upToDate.pkiEntries() > 10, upToDate.toString());
        // and again: the up-to-date run did not disturb what it checks
        assertInstanceOf(UpToDate.class, run());
    }

    @Test
    void specEdited_generates() throws IOException {
        Files.writeString(spec, Files.readString(spec).replace("10.240.0.20", "10.240.0.21"));

        GoldenUpdate update = generates(run());

        assertFalse(update.golden().written().isEmpty());
        assertInstanceOf(UpToDate.class, run());
    }

    @Test
    void goldenFileEditedByHand_generatesAndRestoresIt() throws IOException {
        Path file = golden().resolve("worker-0/etc/systemd/system/kubelet.service");
        String committed = Files.readString(file);
        Files.writeString(file, committed.replace("kubelet", "kubelett"));

        generates(run());

        assertEquals(committed, Files.readString(file));
    }

    @Test
    void goldenFileAddedOrRemoved_generates() throws IOException {
        Path extra = golden().resolve("worker-0/etc/stray.conf");
        Files.writeString(extra, "not generated\n");
        generates(run());
        assertFalse(Files.exists(extra));

        Path file = golden().resolve("worker-0/etc/systemd/system/kubelet.service");
        Files.delete(file);
        generates(run());
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void bundleRemovedOrReplaced_generatesItAgain() throws IOException {
        Path bundle = out().resolve("worker-0.tar.gz");
        byte[] bytes = Files.readAllBytes(bundle);
        Files.delete(bundle);
        generates(run());
        assertTrue(Files.isRegularFile(bundle));

        // the same bytes and mtime restored from elsewhere: a new inode
        Path copy = repo.resolve("copy.tar.gz");
        Files.write(copy, bytes);
        Files.setLastModifiedTime(copy, Files.getLastModifiedTime(bundle));
        Files.move(copy, bundle, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        generates(run());
    }

    @Test
    void pkiKeyLoosened_generatesAndTightensIt() throws IOException {
        Path key = repo.resolve("pki/ca.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        GoldenUpdate update = generates(run());

        assertTrue(update.generation().warnings().stream().anyMatch(w -> w.contains("ca.key")),
                update.generation().warnings().toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void pkiDirectoryKeptElsewhereBehindALink_aLoosenedKeyOrALostCertificateStillGenerates() throws IOException {
        Path kept = repo.resolve("vault/pki");
        Files.createDirectories(kept.getParent());
        Files.move(repo.resolve("pki"), kept);
        Files.createSymbolicLink(repo.resolve("pki"), kept);
        generates(run());
        assertInstanceOf(UpToDate.class, run());

        Files.setPosixFilePermissions(kept.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));
        GoldenUpdate update = generates(run());
        assertTrue(update.generation().warnings().stream().anyMatch(w -> w.contains("ca.key")),
                update.generation().warnings().toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept.resolve("ca.key"))));
        // a run that warned records nothing, so the next one generates once more, quietly, and records
        assertEquals(List.of(), generates(run()).generation().warnings());
        assertInstanceOf(UpToDate.class, run());

        Files.delete(kept.resolve("kubelet-worker-0.crt"));
        generates(run());
        assertTrue(Files.isRegularFile(kept.resolve("kubelet-worker-0.crt")), "issued again");
    }

    @Test
    void aFileOfSomeoneElseInTheOutputDirectory_changesNothing_andIsLeftAlone() throws IOException {
        // check-certs -Dhardway.format=json writes its report beside the bundles
        Path foreign = Files.writeString(out().resolve("certificates.json"), "{}\n");

        assertInstanceOf(UpToDate.class, run());
        Files.writeString(foreign, "{\"changed\": true}\n");
        assertInstanceOf(UpToDate.class, run());
        assertEquals("{\"changed\": true}\n", Files.readString(foreign));
    }

    @Test
    void theReportOfTheLastRun_isReplaced_neverCountedAsRemoved() throws IOException {
        Files.writeString(spec, Files.readString(spec).replace("10.240.0.20", "10.240.0.21"));

        GoldenUpdate update = generates(run());

        assertEquals(List.of(), update.generation().removed());
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out().resolve("report.json").toFile());
        assertEquals(0, report.path("summary").path("bundlesRemoved").asInt(-1), report.toPrettyString());
        assertEquals(0, report.path("outputs").path("removed").size(), report.toPrettyString());
        assertTrue(report.path("outputs").has("removed"), report.toPrettyString());
    }

    @Test
    void templateOverrideAdded_generates() throws IOException {
        Path override = templates.resolve("kubelet/kubelet.service.ftl");
        Files.createDirectories(override.getParent());
        Files.copy(TestClusters.repositoryRoot().resolve("templates/kubelet/kubelet.service.ftl"), override);
        Files.writeString(override, Files.readString(override) + "# site-local\n");

        generates(run());

        assertTrue(Files.readString(golden().resolve("worker-0/etc/systemd/system/kubelet.service"))
                .contains("# site-local"));
    }

    @Test
    void clockReachesTheRenewalWindow_generatesAndRenews() {
        UpToDate upToDate = assertInstanceOf(UpToDate.class, run());
        Clock due = Clock.fixed(upToDate.renewalDue(), ZoneOffset.UTC);
        assertInstanceOf(UpToDate.class, run(Clock.offset(due, Duration.ofSeconds(-1))));

        GoldenUpdate update = generates(run(Clock.offset(due, Duration.ofSeconds(1))));

        assertTrue(update.generation().pkiChanges().stream().anyMatch(c -> c.action() == PkiChange.Action.REISSUED),
                update.generation().pkiChanges().toString());
    }

    @Test
    void recordDamaged_generates() throws IOException {
        Path record = out().resolve(RunStamp.FILE);
        Files.writeString(record, Files.readString(record).replace("trees=", "trees=0"));
        generates(run());
        Files.writeString(record, Files.readString(record).replace("inputs=", "inputs=0"));
        generates(run());

        Files.writeString(record, "garbage\u0000");
        generates(run());
        assertInstanceOf(UpToDate.class, run());
    }

    @Test
    void failedRun_leavesEverythingAsItWas_theRecordIncluded_soARestoredSpecIsUpToDate() throws IOException {
        String good = Files.readString(spec);
        List<TreeStat> before = everything();
        Files.writeString(spec, good.replace("10.240.0.20", "10.240.0.999"));
        assertThrows(InvalidSpecException.class, this::run);
        // the rejected spec wrote nothing, not even the removal of the last good run's record
        assertEquals(before, everything());
        Files.writeString(spec, good);
        assertInstanceOf(UpToDate.class, run());

        // a run that fails while staging (a file of the user's where a new golden file goes) commits nothing:
        // the record stays, and says nothing of the changed spec
        Files.writeString(spec, good.replace("10.240.0.20", "10.240.0.21"));
        Path files = golden().resolve("worker-0/FILES");
        Files.delete(files);
        Files.createDirectories(files);
        Files.writeString(files.resolve(".in-the-way"), "mine\n");
        List<TreeStat> blocked = everything();
        assertThrows(RuntimeException.class, this::run);
        assertEquals(blocked, everything());

        Files.delete(files.resolve(".in-the-way"));
        generates(run());
        assertInstanceOf(UpToDate.class, run());
    }

    @Test
    void aChangeWarnedOf_isWarnedOfByTheRunThatMakesIt_notRepeatedByTheUpToDateRunsAfter() throws IOException {
        Files.writeString(spec, Files.readString(spec).replace("clusterDns: 10.32.0.10", "clusterDns: 10.32.0.53"));

        GoldenUpdate changed = generates(run());
        UpToDate after = assertInstanceOf(UpToDate.class, run());

        assertTrue(changed.generation().warnings().stream().anyMatch(w -> w.startsWith("network.clusterDns: "
                + "10.32.0.53, was 10.32.0.10")), changed.generation().warnings().toString());
        assertFalse(after.warnings().stream().anyMatch(w -> w.startsWith("network.")), after.warnings().toString());
    }

    @Test
    void generateWithoutTheCheck_recordsToo_andAnotherWriterOfTheOutputsInvalidatesTheRecord() throws IOException {
        Golden.generate(request(TestClusters.fixedClock()).build(), golden());
        assertInstanceOf(UpToDate.class, run());

        // Hardway.generate keeps no golden snapshot and no report.json: it takes the report away
        Hardway.generate(request(TestClusters.fixedClock()).build());
        assertFalse(Files.exists(out().resolve(GenerationReport.FILE_NAME)));
        generates(run());
        assertTrue(Files.exists(out().resolve(GenerationReport.FILE_NAME)));
    }

    @Test
    void specGivenInJava_alwaysGenerates() throws IOException {
        GenerationRequest fromFile = request(TestClusters.fixedClock()).build();
        var spec = Hardway.resolve(fromFile).spec();
        GenerationRequest inJava = GenerationRequest.builder().spec(spec).pkiDirectory(repo.resolve("pki"))
                .outputDirectory(out()).templateDirectory(templates).clock(TestClusters.fixedClock()).build();

        generates(Golden.generateIfChanged(inJava, golden()));
        generates(Golden.generateIfChanged(inJava, golden()));
    }
}
