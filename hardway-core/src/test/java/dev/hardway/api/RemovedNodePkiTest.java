package dev.hardway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardway.io.FileTransaction;
import dev.hardway.model.CertificateStatus;
import dev.hardway.model.PkiChange;
import dev.hardway.pki.PkiDirectory;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Day 2, a worker leaves the spec: its kubelet certificate and key leave the PKI directory in the run's
 * transaction, and nothing else there changes but the records that list it. Only files hardway issued and its
 * manifest recorded ever go.
 */
class RemovedNodePkiTest {
    private static final List<String> WORKER_1 = List.of("kubelet-worker-1.crt", "kubelet-worker-1.key");
    /** The files that describe the PKI, rewritten when a node leaves; every other file keeps its bytes. */
    private static final Set<String> RECORDS = Set.of(PkiDirectory.MANIFEST, PkiDirectory.DIGESTS,
            PkiDirectory.CLUSTER_STATE);

    @TempDir
    Path tmp;
    private String minimal;

    @BeforeEach
    void twoWorkers() throws IOException {
        minimal = Files.readString(TestClusters.sample("minimal"));
        generate(withWorker1());
        assertTrue(Files.exists(pki().resolve("kubelet-worker-1.key")));
    }

    private String withWorker1() {
        return minimal + "  - name: worker-1\n    internalIp: 10.240.0.21\n";
    }

    private Path pki() {
        return tmp.resolve("pki");
    }

    private GenerationRequest request(String yaml) throws IOException {
        Path spec = tmp.resolve("cluster.yaml");
        Files.writeString(spec, yaml);
        return TestClusters.request(spec, pki()).outputDirectory(tmp.resolve("out")).build();
    }

    private GenerationResult generate(String yaml) throws IOException {
        return Golden.generate(request(yaml), tmp.resolve("golden")).generation();
    }

    /** The PKI directory's files; the lock and journal (dot files) are the mechanism, not the state. */
    private Map<String, byte[]> files() throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(pki())) {
            for (Path p : s.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private List<String> checkedCertificates() {
        return CertificateCheck.run(pki(), Duration.ofDays(30), TestClusters.fixedClock()).certificates().stream()
                .map(CertificateStatus::name).toList();
    }

    private static List<PkiChange> removed(GenerationResult result) {
        return result.pkiChanges().stream().filter(c -> c.action() == PkiChange.Action.REMOVED).toList();
    }

    @Test
    void removedWorker_itsCertificateAndKeyGo_andEveryOtherFileKeepsItsBytes() throws IOException {
        Map<String, byte[]> before = files();
        assertTrue(checkedCertificates().contains("kubelet-worker-1"));

        GenerationResult result = generate(minimal);

        assertEquals(List.of(new PkiChange("kubelet-worker-1", PkiChange.Action.REMOVED, "no longer in the spec")),
                removed(result));
        Map<String, byte[]> after = files();
        Set<String> expected = new HashSet<>(before.keySet());
        WORKER_1.forEach(expected::remove);
        assertEquals(expected, after.keySet());
        after.forEach((name, bytes) -> {
            if (!RECORDS.contains(name)) {
                assertArrayEquals(before.get(name), bytes, name);
            }
        });
        assertArrayEquals(before.get("ca.crt"), after.get("ca.crt"));
        assertArrayEquals(before.get("ca.key"), after.get("ca.key"));
        for (String record : List.of(PkiDirectory.MANIFEST, PkiDirectory.DIGESTS)) {
            String text = new String(after.get(record));
            assertFalse(text.contains("kubelet-worker-1"), record + ":\n" + text);
            assertTrue(text.contains("kubelet-worker-0"), record + ":\n" + text);
        }
        List<String> checked = checkedCertificates();
        assertFalse(checked.contains("kubelet-worker-1"), checked.toString());
        assertTrue(checked.contains("kubelet-worker-0"), checked.toString());
    }

    @Test
    void removedControllers_theirEtcdCertificatesAndKeysGo() throws IOException {
        String three = withWorker1().replace("    internalIp: 10.240.0.10\n", "    internalIp: 10.240.0.10\n"
                + "  - name: controller-1\n    internalIp: 10.240.0.11\n"
                + "  - name: controller-2\n    internalIp: 10.240.0.12\n");
        generate(three);
        List<String> etcd = List.of("etcd-server-controller-1", "etcd-peer-controller-1", "etcd-server-controller-2",
                "etcd-peer-controller-2");
        etcd.forEach(id -> assertTrue(Files.exists(pki().resolve(id + ".key")), id));

        GenerationResult result = generate(withWorker1());

        assertEquals(etcd.stream().sorted().toList(), removed(result).stream().map(PkiChange::id).toList());
        for (String id : etcd) {
            assertFalse(Files.exists(pki().resolve(id + ".crt")), id);
            assertFalse(Files.exists(pki().resolve(id + ".key")), id);
        }
        assertTrue(Files.exists(pki().resolve("etcd-server-controller-0.key")));
        assertTrue(Files.exists(pki().resolve("etcd-ca.key")));
    }

    @Test
    void removedWorker_isReportedAsRemoved_inReportJson() throws IOException {
        generate(minimal);

        JsonNode report = new ObjectMapper().readTree(tmp.resolve("out").resolve(GenerationReport.FILE_NAME).toFile());
        assertEquals(1, report.at("/summary/pkiRemoved").asInt(), report.get("summary").toString());
        JsonNode entry = null;
        for (JsonNode p : report.get("pki")) {
            entry = p.get("id").asText().equals("kubelet-worker-1") ? p : entry;
        }
        assertTrue(entry != null, report.get("pki").toString());
        assertEquals("removed", entry.get("action").asText());
        assertEquals("no longer in the spec", entry.get("reason").asText());
    }

    @Test
    void filesHardwayDidNotRecord_survive() throws IOException {
        // a file of the user's, and a certificate pair under a name hardway might use but never recorded
        Files.writeString(pki().resolve("notes.txt"), "backed up on Tuesday\n");
        Files.copy(pki().resolve("kubelet-worker-1.crt"), pki().resolve("kubelet-worker-9.crt"));
        Files.copy(pki().resolve("kubelet-worker-1.key"), pki().resolve("kubelet-worker-9.key"));

        generate(minimal);

        for (String name : List.of("notes.txt", "kubelet-worker-9.crt", "kubelet-worker-9.key")) {
            assertTrue(Files.exists(pki().resolve(name)), name);
        }
        WORKER_1.forEach(name -> assertFalse(Files.exists(pki().resolve(name)), name));
    }

    @Test
    void recordedLeafThatTheClustersCasDidNotSign_isKept_withAWarning(@TempDir Path other) throws IOException {
        // the same names, issued by another cluster's CA: not provably this PKI's, so not hardway's to delete
        Files.writeString(tmp.resolve("other.yaml"), withWorker1());
        Hardway.generate(TestClusters.request(tmp.resolve("other.yaml"), other.resolve("pki"))
                .outputDirectory(other.resolve("out")).build());
        for (String name : WORKER_1) {
            Files.copy(other.resolve("pki").resolve(name), pki().resolve(name),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        GenerationResult result = generate(minimal);

        assertEquals(List.of(), removed(result));
        WORKER_1.forEach(name -> assertTrue(Files.exists(pki().resolve(name)), name));
        assertTrue(result.warnings().stream().anyMatch(w -> w.startsWith("kubelet-worker-1 is no longer in the spec")
                && w.contains("not a leaf certificate this cluster's CAs signed")), result.warnings().toString());
    }

    @Test
    void aKeyThatIsNotTheCertificates_isKept_withAWarning() throws IOException {
        // the certificate is this cluster's leaf; the key beside it is someone else's (worker-0's, say)
        Files.copy(pki().resolve("kubelet-worker-0.key"), pki().resolve("kubelet-worker-1.key"),
                StandardCopyOption.REPLACE_EXISTING);

        GenerationResult result = generate(minimal);

        assertFalse(Files.exists(pki().resolve("kubelet-worker-1.crt")), "the provable leaf goes");
        assertTrue(Files.exists(pki().resolve("kubelet-worker-1.key")), "a key that is not its own stays");
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("kubelet-worker-1.key")
                && w.contains("is not that certificate's key")), result.warnings().toString());
    }

    @Test
    void aKeyWhoseCertificateWasRemovedByHand_isKept_withAWarningThatNamesOnlyTheKey() throws IOException {
        Files.delete(pki().resolve("kubelet-worker-1.crt"));

        GenerationResult result = generate(minimal);

        assertTrue(Files.exists(pki().resolve("kubelet-worker-1.key")), "a lone key cannot be proven the node's");
        List<String> about = result.warnings().stream().filter(w -> w.startsWith("kubelet-worker-1 ")).toList();
        assertEquals(1, about.size(), result.warnings().toString());
        assertTrue(about.get(0).contains("kubelet-worker-1.key in " + pki() + " is left without its certificate"),
                about.get(0));
        assertFalse(about.get(0).contains("kubelet-worker-1.crt"), "no word of a file that is not there: " + about);
    }

    @Test
    void afterTheRemoval_aReaderWithoutTheLock_seesTheDecidedState() throws IOException {
        // a run killed right after its commit marker: the journal holds the deletes, nothing applied yet
        SortedMap<String, FileTransaction.Write> none = new TreeMap<>();
        FileTransaction.prepare(pki(), none, Set.copyOf(WORKER_1));
        Files.writeString(pki().resolve(FileTransaction.JOURNAL).resolve("COMMITTED"), "");

        var state = new PkiDirectory(pki()).read();

        WORKER_1.forEach(name -> assertFalse(state.files().containsKey(name), name + " is decided gone"));
        assertTrue(state.files().containsKey("kubelet-worker-0.crt"));
    }

    @Test
    void withoutTheManifest_nothingIsRemoved() throws IOException {
        Files.delete(pki().resolve(PkiDirectory.MANIFEST));

        GenerationResult result = generate(minimal);

        assertEquals(List.of(), removed(result));
        WORKER_1.forEach(name -> assertTrue(Files.exists(pki().resolve(name)), name));
    }

    @Test
    void damagedManifest_removesNothing_andSaysSo() throws IOException {
        // a write cut short: hardway always ends the manifest with a newline
        Path manifest = pki().resolve(PkiDirectory.MANIFEST);
        byte[] whole = Files.readAllBytes(manifest);
        Files.write(manifest, Arrays.copyOf(whole, whole.length - 3));

        GenerationResult result = generate(minimal);

        assertEquals(List.of(), removed(result));
        WORKER_1.forEach(name -> assertTrue(Files.exists(pki().resolve(name)), name));
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("is not as hardway writes it")
                        && w.contains("remove any .crt and .key of a departed node from " + pki() + " by hand")),
                result.warnings().toString());
    }

    @Test
    void manifestNamingAPathOutsideItsIds_removesNothing() throws IOException {
        Path manifest = pki().resolve(PkiDirectory.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest) + "../out/worker-0\n");

        GenerationResult result = generate(minimal);

        assertEquals(List.of(), removed(result));
        WORKER_1.forEach(name -> assertTrue(Files.exists(pki().resolve(name)), name));
    }

    @Test
    void planAndVerify_sayTheyWouldRemove_butRemoveNothing() throws IOException {
        // hardway:plan and hardway:verify render from the certificates alone, as CI without the keys does
        RenderedCluster rendered = Hardway.render(request(minimal).withCertificatesOnly());

        assertTrue(rendered.pkiChanges().contains(new PkiChange("kubelet-worker-1", PkiChange.Action.REMOVED,
                "no longer in the spec")), rendered.pkiChanges().toString());
        WORKER_1.forEach(name -> assertTrue(Files.exists(pki().resolve(name)), name));
    }

    @Test
    void workerAddedBack_getsANewCertificateAndKey() throws IOException {
        byte[] oldKey = Files.readAllBytes(pki().resolve("kubelet-worker-1.key"));
        generate(minimal);

        GenerationResult back = generate(withWorker1());

        assertTrue(back.pkiChanges().contains(new PkiChange("kubelet-worker-1", PkiChange.Action.CREATED, "")),
                back.pkiChanges().toString());
        assertFalse(Arrays.equals(oldKey, Files.readAllBytes(pki().resolve("kubelet-worker-1.key"))));
        assertTrue(checkedCertificates().contains("kubelet-worker-1"));
    }
}
