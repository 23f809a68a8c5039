package dev.hardway.controllers;

import dev.hardway.testing.ProcessRun;
import dev.hardway.api.GenerationRequest;
import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.testing.TestClusters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.hardway.testing.ProcessRun.argv;

/**
 * A sample generated the way a user generates it (system clock, strong random, new PKI), each tarball unpacked
 * and installed with its own {@code install.sh --root} into a scratch root per node. Real programs then run on
 * those files at their paths under the root.
 */
final class InstalledCluster {
    private final GenerationResult result;
    private final Path work;
    private final Map<String, String> installOutput = new LinkedHashMap<>();

    private InstalledCluster(GenerationResult result, Path work) {
        this.result = result;
        this.work = work;
    }

    static InstalledCluster install(String sample, Path work) {
        return install(TestClusters.sample(sample), work);
    }

    /**
     * {@code sample} at another Kubernetes version: etcd's flags follow the etcd minor kubeadm pairs with the
     * Kubernetes minor, so a test that runs this machine's etcd picks a version paired with that etcd.
     */
    static InstalledCluster install(String sample, String kubernetesVersion, Path work) {
        try {
            String spec = Files.readString(TestClusters.sample(sample));
            String edited = spec.replaceFirst("(?m)^kubernetesVersion: .*$", "kubernetesVersion: " + kubernetesVersion);
            Path file = Files.createDirectories(work.resolve("spec")).resolve("cluster.yaml");
            return install(Files.writeString(file, edited), work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InstalledCluster install(Path spec, Path work) {
        GenerationResult result = Hardway.generate(GenerationRequest.builder()
                .specFile(spec)
                .pkiDirectory(work.resolve("pki"))
                .outputDirectory(work.resolve("out"))
                .build());
        InstalledCluster installed = new InstalledCluster(result, work);
        result.rendered().bundles().forEach(b -> installed.installNode(b.node()));
        return installed;
    }

    private void installNode(String node) {
        try {
            Path bundles = Files.createDirectories(work.resolve("bundles"));
            ProcessRun untar = ProcessRun.run(Duration.ofSeconds(30), argv("tar", "-xzf",
                    output().resolve(node + ".tar.gz"), "-C", bundles));
            assertTrue(untar.succeeded(), untar::describe);
            Path root = Files.createDirectories(root(node));
            ProcessRun install = installScript(node, "--root", root);
            assertTrue(install.succeeded(), install::describe);
            installOutput.put(node, install.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the node's unpacked install.sh with {@code args}. */
    ProcessRun installScript(String node, Object... args) {
        return ProcessRun.run(Duration.ofSeconds(60),
                argv("bash", work.resolve("bundles").resolve(node).resolve("install.sh"), argv(args)));
    }

    ResolvedCluster cluster() {
        return result.rendered().cluster();
    }

    GenerationResult result() {
        return result;
    }

    /** The generator's output directory: the tarballs and the operator's admin.kubeconfig. */
    Path output() {
        return work.resolve("out");
    }

    Path pki() {
        return work.resolve("pki");
    }

    Path work() {
        return work;
    }

    /** The scratch root {@code node} was installed into. */
    Path root(String node) {
        return work.resolve("roots").resolve(node);
    }

    /** Where {@code absolutePath} of {@code node} landed. */
    Path onHost(String node, String absolutePath) {
        return Path.of(SystemdUnit.under(root(node), absolutePath));
    }

    SystemdUnit unit(String node, String service) {
        return SystemdUnit.read(onHost(node, "/etc/systemd/system/" + service + ".service"));
    }

    /** What the node's first {@code install.sh --root} printed. */
    String installOutput(String node) {
        return installOutput.get(node);
    }
}
