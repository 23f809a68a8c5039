package dev.hardway.maven.it;

import dev.hardway.model.InvalidSpecException;
import dev.hardway.model.Problem;
import dev.hardway.model.SpecLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cluster.yaml with several mistakes: one BUILD FAILURE naming all of them, and nothing written. */
class InvalidSpecIT {

    @Test
    void generate_invalidSpec_failsListingEveryProblemWithLineAndPathAndWritesNothing() {
        InfraRepo repo = InfraRepo.fromProject("invalid-spec", "invalid-spec");

        MavenRun run = repo.mvn("hardway:generate");

        assertFalse(run.succeeded(), run.describe());
        String out = run.output();
        assertTrue(out.contains("BUILD FAILURE"), run.describe());
        // every problem the library finds, in the form users read: <file>:<line>: <field path>: <what is wrong>
        String spec = repo.resolve("cluster.yaml").toString();
        List<Problem> problems = assertThrows(InvalidSpecException.class,
                () -> new SpecLoader().load(repo.resolve("cluster.yaml"))).problems();
        for (Problem p : problems) {
            assertTrue(out.contains(p.describe(spec)), "missing " + p.describe(spec) + " in\n" + out);
        }
        // and the five mistakes the fixture makes, each at its own line
        for (String expected : List.of("cluster.yaml:2:1: name: ", "cluster.yaml:9:3: network.clusterDns: ",
                "cluster.yaml:17:5: workers[0].podCidr: ", "cluster.yaml:19:5: workers[1].internalIp: ",
                "cluster.yaml:20:5: workers[1].podCid")) {
            assertTrue(out.contains(expected), "missing " + expected + " in\n" + out);
        }
        assertFalse(out.contains("\tat ") || out.contains("InvalidSpecException"), "no stack trace:\n" + out);
        assertFalse(Files.exists(repo.resolve("target/hardway")), "no bundles");
        assertFalse(Files.exists(repo.resolve("pki")), "no PKI");
        assertFalse(Files.exists(repo.resolve("golden")), "no golden snapshot");
    }
}
