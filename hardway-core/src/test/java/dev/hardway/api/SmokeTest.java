package dev.hardway.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SmokeTest {
    @Test
    void generates(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("hardway.repositoryRoot"));
        GenerationResult r = Hardway.generate(GenerationRequest.builder()
                .specFile(root.resolve("samples/minimal/cluster.yaml"))
                .pkiDirectory(tmp.resolve("pki")).outputDirectory(tmp.resolve("out")).build());
        System.out.println(r.written());
        r.rendered().bundles().get(0).files().forEach(f -> System.out.println("=== " + f.path() + "\n" + (f.kind() == dev.hardway.bundle.HostFile.Kind.SECRET ? "(secret)" : f.text())));
        System.out.println(r.rendered().installScripts().get("worker-0"));
    }
}
