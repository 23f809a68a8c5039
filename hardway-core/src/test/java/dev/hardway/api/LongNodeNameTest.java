package dev.hardway.api;

import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every name the contract allows works end to end: a worker named with a full 63-character DNS-1123 label. */
class LongNodeNameTest {
    static final String NAME = "worker-" + "a".repeat(53) + "-zz";

    @Test
    void generate_workerNamedWith63Characters_issuesItsNodeCertificateAndBundle(@TempDir Path dir) throws Exception {
        assertEquals(63, NAME.length());
        Path spec = TestClusters.repositoryRoot().resolve("hardway-core/src/test/resources/good-specs/every-field.yaml");
        assertTrue(Files.readString(spec).contains("name: " + NAME + "\n"), "the fixture names the worker " + NAME);

        Hardway.generate(TestClusters.request(spec, dir.resolve("pki")).outputDirectory(dir.resolve("out")).build());

        assertTrue(Files.isRegularFile(dir.resolve("out").resolve(NAME + ".tar.gz")));
        List<String> subjects = new ArrayList<>();
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        try (Stream<Path> files = Files.list(dir.resolve("pki"))) {
            for (Path crt : files.filter(f -> f.toString().endsWith(".crt")).toList()) {
                try (InputStream in = Files.newInputStream(crt)) {
                    subjects.add(((X509Certificate) x509.generateCertificate(in)).getSubjectX500Principal()
                            .getName());
                }
            }
        }
        // the Node authorizer identifies the kubelet by exactly this CN and organization
        assertTrue(subjects.contains("CN=system:node:" + NAME + ",O=system:nodes"), subjects.toString());
    }
}
