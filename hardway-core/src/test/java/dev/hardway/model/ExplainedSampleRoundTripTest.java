package dev.hardway.model;

import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedBundle;
import dev.hardway.api.RenderedCluster;
import dev.hardway.api.RenderedFile;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code hardway:explain} prints for each of {@code samples/}, fed back as the spec, is the same cluster: the
 * same resolved model (every part but the spec it came from, and the choices made from that spec, such as a
 * resolver file picked per host) and the same files in every bundle, byte for byte.
 */
class ExplainedSampleRoundTripTest {

    static Stream<String> samples() throws IOException {
        try (Stream<Path> dirs = Files.list(TestClusters.repositoryRoot().resolve("samples"))) {
            List<String> names = dirs.filter(d -> Files.isRegularFile(d.resolve("cluster.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            assertTrue(names.containsAll(List.of("ha", "minimal", "single-node", "stacked")), names.toString());
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void explainedSample_loadsAsTheSameCluster(String sample, @TempDir Path work) throws IOException {
        Path pki = work.resolve("pki");
        ResolvedCluster original = Hardway.resolve(TestClusters.request(TestClusters.sample(sample), pki).build());
        // what ExplainMojo writes, header line and all
        Path explained = Files.writeString(work.resolve("explained.yaml"),
                "# cluster.yaml with every default filled in (kubelet.resolvConf aside: install.sh picks it per host)\n"
                        + SpecWriter.toYaml(original.explicitSpec()));
        ResolvedCluster again = Hardway.resolve(TestClusters.request(explained, pki).build());

        for (RecordComponent c : ResolvedCluster.class.getRecordComponents()) {
            if (!c.getName().equals("spec")) {
                assertEquals(value(c, original), value(c, again), c.getName());
            }
        }
        assertEquals(original.resolvConfPerHost(), again.resolvConfPerHost(), "kubelet.resolvConf chosen per host");
        assertEquals(original.explicitSpec(), again.explicitSpec());

        // the same keys for both (one seed, nothing written): any difference left is the spec's
        RenderedCluster before = Hardway.render(TestClusters.request(TestClusters.sample(sample), pki)
                .random(TestClusters.repeatableRandom(sample)).build());
        RenderedCluster after = Hardway.render(TestClusters.request(explained, pki)
                .random(TestClusters.repeatableRandom(sample)).build());
        assertEquals(before.bundles().stream().map(RenderedBundle::node).toList(),
                after.bundles().stream().map(RenderedBundle::node).toList());
        for (RenderedBundle b : before.bundles()) {
            assertEquals(files(b), files(after.bundle(b.node())), b.node());
        }
        assertEquals(before.installScripts(), after.installScripts());
        assertEquals(before.installManifests(), after.installManifests());
    }

    private static Object value(RecordComponent c, ResolvedCluster cluster) {
        try {
            return c.getAccessor().invoke(cluster);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Path to mode, restarted services and content (secrets as a hash only, so a failure prints no key). */
    private static Map<String, String> files(RenderedBundle bundle) {
        Map<String, String> out = new TreeMap<>();
        for (RenderedFile f : bundle.files()) {
            String content = f.secret() ? "secret#" + Arrays.hashCode(f.content()) : f.text();
            out.put(f.path(), Integer.toOctalString(f.mode()) + " " + f.restarts() + "\n" + content);
        }
        return out;
    }
}
