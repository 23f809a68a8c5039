package dev.hardway.realtools;

import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.testing.TestClusters;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A cluster generated through the public API into a scratch directory, as a user would get it: the output
 * directory with {@code admin.kubeconfig} and {@code <node>.tar.gz}, and the PKI directory.
 *
 * <p>Certificates are issued with the system clock, not the tests' fixed one: the real tools check validity
 * against the real "now".
 */
record GeneratedCluster(Path specFile, Path pkiDirectory, Path outputDirectory, GenerationResult result) {

    /** Generates {@code spec} into {@code scratch/pki} and {@code scratch/out}. */
    static GeneratedCluster generate(Path spec, Path scratch) {
        return generate(spec, null, scratch);
    }

    /** As {@link #generate(Path, Path)}, with the templates of {@code templateDirectory} (may be null). */
    static GeneratedCluster generate(Path spec, Path templateDirectory, Path scratch) {
        Path pki = scratch.resolve("pki");
        Path out = scratch.resolve("out");
        GenerationResult result = Hardway.generate(TestClusters.request(spec, pki)
                .clock(Clock.systemUTC())
                .outputDirectory(out)
                .templateDirectory(templateDirectory)
                .build());
        return new GeneratedCluster(spec, pki, out, result);
    }

    /** The repository's {@code samples/minimal}. */
    static GeneratedCluster minimal(Path scratch) {
        return generate(TestClusters.sample("minimal"), scratch);
    }

    /**
     * The same cluster generated again from {@code spec} (e.g. this spec with one value changed) with this PKI, into
     * {@code out}: every certificate and key is reused, so the bundles differ only where the spec change reaches.
     */
    GeneratedCluster regenerate(Path spec, Path out) {
        GenerationResult again = Hardway.generate(TestClusters.request(spec, pkiDirectory)
                .clock(Clock.systemUTC())
                .outputDirectory(out)
                .build());
        return new GeneratedCluster(spec, pkiDirectory, out, again);
    }

    /** This cluster's spec with {@code find} replaced by {@code replacement} once, as a file in {@code dir}. */
    Path editedSpec(Path dir, String find, String replacement) {
        try {
            String text = Files.readString(specFile);
            if (!text.contains(find)) {
                throw new AssertionError(specFile + " has no '" + find + "'");
            }
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("cluster.yaml"), text.replace(find, replacement));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ResolvedCluster cluster() {
        return result.rendered().cluster();
    }

    Path tarball(String node) {
        return outputDirectory.resolve(node + ".tar.gz");
    }

    Path adminKubeconfig() {
        return outputDirectory.resolve("admin.kubeconfig");
    }

    /** Unpacks {@code <node>.tar.gz} into {@code dir} with the real tar; returns the bundle directory. */
    Path unpack(String node, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RealTools.command("tar", "-xzf", tarball(node).toString(), "-C", dir.toString()).runOk();
        Path bundle = dir.resolve(node);
        if (!Files.isRegularFile(bundle.resolve("install.sh"))) {
            throw new AssertionError(tarball(node) + " did not unpack to " + node + "/install.sh");
        }
        return bundle;
    }

    /** Every regular file entry of the node's tarball, read as stored: name to (mode, content). */
    Map<String, TarFile> tarEntries(String node) {
        Map<String, TarFile> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tarball(node));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    entries.put(entry.getName(), new TarFile(entry.getMode() & 07777, tar.readAllBytes()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    /** One file inside a tarball. */
    record TarFile(int mode, byte[] content) {
        String text() {
            return new String(content, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
