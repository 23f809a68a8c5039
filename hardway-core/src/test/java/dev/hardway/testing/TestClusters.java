package dev.hardway.testing;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedCluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The repository's samples, rendered the way tests need them: a fixed clock and, where asked, repeatable keys. */
public final class TestClusters {
    /** "Now" for every test: certificates issued at this instant. */
    public static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private TestClusters() {
    }

    public static Path repositoryRoot() {
        String root = System.getProperty("hardway.repositoryRoot");
        if (root == null) {
            throw new IllegalStateException("run through Maven: hardway.repositoryRoot is not set");
        }
        return Path.of(root);
    }

    /**
     * The start of a cluster.yaml with the sample's endpoint and network, up to its {@code controllers:} key, for
     * tests that write their own nodes.
     */
    public static String yamlUpToControllers(String name, String kubernetesVersion) {
        return """
                name: %s
                kubernetesVersion: %s
                apiServer:
                  endpoint: https://server.kubernetes.local:6443
                network:
                  clusterCidr: 10.200.0.0/16
                  serviceCidr: 10.32.0.0/24
                  clusterDns: 10.32.0.10
                  clusterDomain: cluster.local
                controllers:
                """.formatted(name, kubernetesVersion);
    }

    /** {@code samples/<name>/cluster.yaml}. */
    public static Path sample(String name) {
        return repositoryRoot().resolve("samples").resolve(name).resolve("cluster.yaml");
    }

    public static Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    /** A SecureRandom that yields the same keys every run: for golden files only, never for real clusters. */
    public static SecureRandom repeatableRandom(String seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed.getBytes(StandardCharsets.UTF_8));
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static GenerationRequest.Builder request(Path spec, Path pki) {
        return GenerationRequest.builder().specFile(spec).pkiDirectory(pki).clock(fixedClock());
    }

    /** Renders a sample with repeatable keys, so its certificate descriptions are stable. */
    public static RenderedCluster renderRepeatably(String sample, Path pki) {
        return Hardway.render(request(sample(sample), pki).random(repeatableRandom(sample)).build());
    }

    public static GenerationResult generate(String sample, Path pki, Path out) {
        return Hardway.generate(request(sample(sample), pki).outputDirectory(out).build());
    }
}
