package dev.hardway.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(new SpecLoader().load(text, "a").explicitSpec(),
                new SpecLoader().load(uncommented.toString(), "b").explicitSpec());
    }

    @Test
    void starter_evenControllersOrNoWorkers_isRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StarterSpec.text(2, 0));
        assertTrue(e.getMessage().contains("controllers: 2 is not an odd number"), e.getMessage());
        assertTrue(e.getMessage().contains("workers: 0 is not between 1 and 230"), e.getMessage());
    }
}
