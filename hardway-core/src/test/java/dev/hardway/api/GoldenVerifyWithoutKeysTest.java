package dev.hardway.api;

import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CI checks the golden snapshot from the committed certificates; the private keys stay in the secret store. */
class GoldenVerifyWithoutKeysTest {
    @TempDir
    Path repo;

    private GenerationRequest.Builder request(Path pki) {
        return TestClusters.request(TestClusters.sample("ha"), pki).outputDirectory(repo.resolve("out"));
    }

    /**
     * What an infra repo commits: certificates, public keys and fingerprints, no private key and no encryption key.
     */
    private Path publicHalf(Path pki) throws IOException {
        Path copy = repo.resolve("pki-public");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(pki)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".crt") || name.endsWith(".pub") || name.endsWith(".sha256")) {
                    Files.copy(f, copy.resolve(name));
                }
            }
        }
        return copy;
    }

    @Test
    void verify_withCertificatesOnly_matchesTheSnapshotGeneratedWithKeys() throws IOException {
        Path pki = repo.resolve("pki");
        Golden.generate(request(pki).build(), repo.resolve("golden"));
        Path publicPki = publicHalf(pki);
        assertFalse(Files.exists(publicPki.resolve("ca.key")));

        GoldenVerification check = Golden.verify(request(publicPki).build(), repo.resolve("golden"));

        assertTrue(check.matches(), check.report());
        try (Stream<Path> files = Files.list(publicPki)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".key")),
                    "verify never writes placeholder keys");
        }
    }

    @Test
    void verify_withCertificatesOnly_stillSeesADrift() throws IOException {
        Path pki = repo.resolve("pki");
        Golden.generate(request(pki).build(), repo.resolve("golden"));
        Path spec = repo.resolve("cluster.yaml");
        Files.writeString(spec, Files.readString(TestClusters.sample("ha")).replace("10.32.0.10", "10.32.0.53"));

        GoldenVerification check = Golden.verify(TestClusters.request(spec, publicHalf(pki)).build(),
                repo.resolve("golden"));

        assertFalse(check.matches());
        assertTrue(check.report().contains("+  - \"10.32.0.53\""), check.report());
    }

    @Test
    void generate_refusesACertificatesOnlyRequest() {
        GenerationRequest request = request(repo.resolve("pki")).build().withCertificatesOnly();
        assertThrows(IllegalArgumentException.class, () -> Hardway.generate(request));
        assertEquals(List.of(), List.of(repo.toFile().list()));
    }

    @Test
    void generate_withAMissingCaKey_stillFails() throws IOException {
        Path pki = repo.resolve("pki");
        Hardway.generate(request(pki).build());
        Files.delete(pki.resolve("ca.key"));
        assertThrows(dev.hardway.model.PkiStateException.class, () -> Hardway.generate(request(pki).build()));
    }
}
