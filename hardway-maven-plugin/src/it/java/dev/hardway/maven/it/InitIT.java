package dev.hardway.maven.it;

import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new user's first steps: hardway:init in an empty directory, then generate from the starter as it is. */
class InitIT {

    @Test
    void init_inAnEmptyDirectory_writesAStarterThatGenerates_andNeverOverwritesIt() throws IOException {
        InfraRepo repo = InfraRepo.fromSample("init", "minimal");
        Files.delete(repo.resolve("cluster.yaml"));
        Path pom = repo.resolve("pom.xml");
        Path aside = repo.dir().resolveSibling("init-pom.xml");
        Files.move(pom, aside, StandardCopyOption.REPLACE_EXISTING);

        // no pom yet: the goal runs by its full coordinates, as a user starting from nothing would
        MavenRun init = repo.mvn("dev.hardway:hardway-maven-plugin:" + InfraRepo.property("hardway.version")
                + ":init", "-Dhardway.controllers=3", "-Dhardway.workers=5");

        assertTrue(init.succeeded(), init.describe());
        assertTrue(init.text().contains("Wrote cluster.yaml: 3 controllers, 5 workers."), init.describe());
        ResolvedCluster cluster = new SpecLoader().load(repo.resolve("cluster.yaml"));
        assertEquals(3, cluster.controllers().size());
        assertEquals(5, cluster.workers().size());

        Files.move(aside, pom);
        String starter = Files.readString(repo.resolve("cluster.yaml"));
        MavenRun generate = repo.mvn("hardway:generate");

        assertTrue(generate.succeeded(), generate.describe());
        for (String node : cluster.nodeNames().toList()) {
            assertTrue(Files.isRegularFile(repo.resolve("target/hardway/" + node + ".tar.gz")), node);
        }

        MavenRun again = repo.mvn("hardway:init");

        assertFalse(again.succeeded(), again.describe());
        assertTrue(again.text().contains("cluster.yaml already exists; hardway:init never overwrites a spec"),
                again.describe());
        assertEquals(starter, Files.readString(repo.resolve("cluster.yaml")), "untouched");
    }
}
