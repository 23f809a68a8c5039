package dev.hardway.maven.it;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecLoader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** samples/minimal built with the freshly built plugin, exactly as its README tells users to. */
class MinimalSampleIT {

    @Test
    void generate_minimalSample_writesTheContractsOutputAndARerunChangesNoByte(@TempDir Path scratchPki)
            throws IOException {
        InfraRepo repo = InfraRepo.fromSample("minimal-sample", "minimal");

        MavenRun first = repo.mvn("hardway:generate");

        assertTrue(first.succeeded(), first.describe());
        Path out = repo.resolve("target/hardway");
        // what the library generates for this spec, so the test follows the node list (controllers included
        // once they have bundles) instead of hard-coding it
        Set<String> expected = Hardway.render(GenerationRequest.builder().specFile(repo.resolve("cluster.yaml"))
                .pkiDirectory(scratchPki.resolve("pki")).build()).outputs().keySet();
        // besides the outputs, hardway's bookkeeping (the lock, the record of what it wrote, the record that lets
        // an unchanged re-run do nothing) and report.json
        Set<String> present = new TreeSet<>(repo.checksums("target/hardway").keySet());
        assertTrue(present.removeAll(Set.of(".hardway.lock", ".hardway-outputs", ".hardway-up-to-date",
                "report.json")), present.toString());
        assertEquals(new TreeSet<>(expected), present);
        assertTrue(expected.contains("admin.kubeconfig"), expected.toString());
        ResolvedCluster cluster = new SpecLoader().load(repo.resolve("cluster.yaml"));
        for (ResolvedCluster.Worker w : cluster.workers()) {
            Path bundle = out.resolve(w.name() + ".tar.gz");
            assertTrue(Files.isRegularFile(bundle), bundle + " is missing");
            List<String> entries = entries(bundle);
            assertTrue(entries.contains(w.name() + "/install.sh"), entries.toString());
            assertTrue(entries.stream().allMatch(e -> e.startsWith(w.name() + "/")), entries.toString());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("admin.kubeconfig"))), "admin.kubeconfig holds a key");
        assertTrue(Files.isRegularFile(repo.resolve("pki/ca.crt")), "the CA persists next to the pom");
        assertTrue(Files.isRegularFile(repo.resolve("golden/worker-0/var/lib/kubelet/kubelet-config.yaml")));
        assertTrue(first.output().matches("(?s).*PKI pki: \\d+ created, 0 reissued, 0 reused.*"), first.output());
        assertNoKeyMaterial(first);

        SortedMap<String, String> bundles = repo.checksums("target/hardway");
        bundles.remove("report.json"); // it says what the run did: created on the first, reused on the second
        bundles.remove(".hardway-up-to-date"); // and when
        SortedMap<String, String> golden = repo.checksums("golden");
        String ca = InfraRepo.sha256(repo.resolve("pki/ca.crt"));
        List<FileTime> mtimes = mtimes(out, bundles.keySet());

        FileTime report = Files.getLastModifiedTime(out.resolve("report.json"));
        MavenRun second = repo.mvn("hardway:generate");

        // nothing changed since the first run: it says so, and writes nothing at all, not even report.json
        assertTrue(second.succeeded(), second.describe());
        assertTrue(second.output().contains("Cluster demo (Kubernetes 1.32.3): 1 controller, 1 worker"),
                second.describe());
        assertTrue(second.output().matches("(?s).*Up to date: spec, templates, hardway, PKI \\(\\d+ items\\), "
                + "target/hardway \\(3 files\\) and golden \\(\\d+ files\\) are as the run of .* left them; nothing "
                + "written.*The next renewal is due .*; -Dhardway.force=true generates anyway.*"), second.describe());
        assertEquals(mtimes, mtimes(out, bundles.keySet()), "an up-to-date run must not rewrite anything");
        assertEquals(report, Files.getLastModifiedTime(out.resolve("report.json")));
        assertEquals(golden, repo.checksums("golden"));

        MavenRun forced = repo.mvn("hardway:generate", "-Dhardway.force=true");

        assertTrue(forced.succeeded(), forced.describe());
        SortedMap<String, String> again = repo.checksums("target/hardway");
        again.remove("report.json");
        again.remove(".hardway-up-to-date");
        assertEquals(bundles, again, "a re-run must give byte-identical outputs");
        assertEquals(mtimes, mtimes(out, bundles.keySet()), "a re-run must not even rewrite them");
        assertEquals(golden, repo.checksums("golden"));
        assertEquals(ca, InfraRepo.sha256(repo.resolve("pki/ca.crt")), "the CA is reused");
        assertTrue(forced.output().matches("(?s).*PKI pki: 0 created, 0 reissued, \\d+ reused.*"), forced.describe());
        assertTrue(forced.output().contains("Golden snapshot golden is up to date"), forced.describe());
        assertNoKeyMaterial(second);
        assertNoKeyMaterial(forced);
    }

    static void assertNoKeyMaterial(MavenRun run) {
        assertFalse(run.output().contains("PRIVATE KEY"), run.describe());
        assertFalse(run.output().contains("client-key-data"), run.describe());
    }

    private static List<FileTime> mtimes(Path dir, Set<String> names) throws IOException {
        List<FileTime> out = new ArrayList<>();
        for (String n : names) {
            out.add(Files.getLastModifiedTime(dir.resolve(n)));
        }
        return out;
    }

    private static List<String> entries(Path tarGz) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tarGz);
             // true: a bundle is several gzip members, and commons-compress stops after the first one otherwise
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in, true))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.add(e.getName());
            }
        }
        return out;
    }
}
