package dev.hardway.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StarterSpecTest {

    @ParameterizedTest
    @CsvSource({"1, 2", "3, 5", "5, 230"})
    void starter_ofAnyAllowedSize_loadsAndPassesTheSchema(int controllers, int workers) {
        String text = StarterSpec.text(controllers, workers);
        ResolvedCluster c = new SpecLoader().load(text, "cluster.yaml");
        assertEquals(controllers, c.controllers().size());
        assertEquals(workers, c.workers().size());
        assertEquals(List.of(), SpecSchemaTest.schemaErrors(text));
    }

    @Test
    void starter_commentsEveryTopLevelField_fromItsSchemaDescription() {
        String text = StarterSpec.text(1, 2);
        for (ModelField f : ModelField.of(ClusterSpec.class)) {
            String firstWords = String.join(" ", List.of(f.doc().description().split(" ")).subList(0, 2));
            assertTrue(text.contains("# " + firstWords), f.name() + ": " + firstWords);
        }
    }

    @Test
    void starter_optionalSectionsUncommented_giveTheSameCluster() {
        String text = StarterSpec.text(1, 2);
        StringBuilder uncommented = new StringBuilder();
        boolean inDefaults = false;
        for (String line : text.split("\n")) {
            if (line.endsWith("Optional; the defaults:")) {
                inDefaults = true;
                continue;
            }
            inDefaults &= line.startsWith("# ");
            uncommented.append(inDefaults ? line.substring(2) : line).append('\n');
        }
        assertTrue(uncommented.toString().contains("\npki:\n  keyAlgorithm: RSA\n"), uncommented.toString());
        // no path that would pin every host: what install.sh does instead, as a comment
        assertTrue(uncommented.toString().contains("\nkubelet:\n  maxPods: 110\n  # resolvConf (left out): chosen "
                + "per host by install.sh"), uncommented.toString());
        assertEquals(new SpecLoader().load(text, "a").explicitSpec(),
                new SpecLoader().load(uncommented.toString(), "b").explicitSpec());
    }

    @Test
    void starter_evenControllersOrTooManyWorkers_isRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StarterSpec.text(2, 231));
        assertTrue(e.getMessage().contains("controllers: 2 is not an odd number"), e.getMessage());
        assertTrue(e.getMessage().contains("workers: 231 is not between 0 and 230"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> StarterSpec.text(1, -1));
        assertTrue(e.getMessage().contains("workers: -1 is not between 0 and 230"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1", "3"})
    void starter_withoutWorkers_makesTheControllersTheNodesAndPassesTheSchema(int controllers) {
        String text = StarterSpec.text(controllers, 0);

        ResolvedCluster c = new SpecLoader().load(text, "cluster.yaml");
        assertEquals(List.of(), c.workers());
        assertEquals(c.controllers().stream().map(ResolvedCluster.Node::name).toList(),
                c.kubeletNodes().stream().map(ResolvedCluster.Worker::name).toList());
        assertEquals(List.of(), SpecSchemaTest.schemaErrors(text));
        assertTrue(text.contains("\ncontrolPlane:\n"), text);
        assertFalse(text.contains("# controlPlane:"), "the defaults shown contradict the spec\n" + text);
    }

    @ParameterizedTest
    @CsvSource({"1, 0", "1, 2", "7, 230"})
    void starter_putsEveryNodeOnOneSubnetAndSaysWhy(int controllers, int workers) {
        String text = StarterSpec.text(controllers, workers);

        ResolvedCluster c = new SpecLoader().load(text, "cluster.yaml");
        // a pod route's next hop (ip route add <podCidr> via <internalIp>) must be on the node's own link
        Stream.concat(c.controllers().stream().map(ResolvedCluster.Node::internalIp),
                        c.workers().stream().map(ResolvedCluster.Worker::internalIp))
                .forEach(ip -> assertTrue(ip.startsWith("10.240.0."), ip + " is not in 10.240.0.0/24"));
        assertTrue(text.replaceAll("\n# ", " ").contains("Every node, controller or worker, must be on one L2 network "
                + "(here 10.240.0.0/24)"), text);
    }
}
