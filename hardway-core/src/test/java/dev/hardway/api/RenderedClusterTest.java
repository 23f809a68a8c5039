package dev.hardway.api;

import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rendered cluster is a value: nothing a caller does to the arrays it got or gave changes it. */
class RenderedClusterTest {

    @Test
    void render_outputsChangedByTheCaller_stayAsRendered(@TempDir Path pki) {
        RenderedCluster rendered = TestClusters.renderRepeatably("minimal", pki);
        String name = "worker-0.tar.gz";
        byte[] before = rendered.output(name);

        Arrays.fill(rendered.output(name), (byte) 0);
        Arrays.fill(rendered.outputs().get(name), (byte) 0);

        assertArrayEquals(before, rendered.output(name));
        assertArrayEquals(before, rendered.outputs().get(name));
        assertArrayEquals(before, rendered.outputsForWriting().get(name));
        assertThrows(UnsupportedOperationException.class, () -> rendered.outputs().put(name, new byte[0]));
    }

    @Test
    void constructor_arraysChangedByTheirGiver_stayAsGiven(@TempDir Path pki) {
        RenderedCluster rendered = TestClusters.renderRepeatably("minimal", pki);
        byte[] given = {1, 2, 3};
        Map<String, byte[]> outputs = new HashMap<>(Map.of("x", given));

        RenderedCluster copy = new RenderedCluster(rendered.cluster(), rendered.bundles(), rendered.installScripts(),
                rendered.installManifests(), outputs, rendered.secretOutputs(), rendered.pkiChanges(),
                rendered.warnings(), rendered.pkiFingerprints(), rendered.renewalDue());
        given[0] = 9;
        outputs.put("y", new byte[0]);

        assertArrayEquals(new byte[] {1, 2, 3}, copy.output("x"));
        assertEquals(1, copy.outputs().size());
    }

    @Test
    void twoRenderingsOfTheSameInputs_areEqual_andOneChangedByteIsNot(@TempDir Path pki) {
        RenderedCluster first = TestClusters.renderRepeatably("minimal", pki);
        RenderedCluster again = TestClusters.renderRepeatably("minimal", pki);
        assertEquals(first, again);
        assertEquals(first.hashCode(), again.hashCode());
        assertEquals(first.bundle("worker-0"), again.bundle("worker-0"));

        Map<String, byte[]> outputs = new HashMap<>(first.outputs());
        byte[] changed = outputs.get("worker-0.tar.gz");
        changed[changed.length - 1] ^= 1;
        RenderedCluster other = new RenderedCluster(first.cluster(), first.bundles(), first.installScripts(),
                first.installManifests(), outputs, first.secretOutputs(), first.pkiChanges(), first.warnings(),
                first.pkiFingerprints(), first.renewalDue());
        assertNotEquals(first, other);
        assertTrue(first.toString().startsWith("RenderedCluster[demo, 2 nodes, outputs [admin.kubeconfig, "),
                first.toString());
    }
}
