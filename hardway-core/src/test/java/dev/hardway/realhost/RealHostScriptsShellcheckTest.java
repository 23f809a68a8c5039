package dev.hardway.realhost;

import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.hardway.testing.ProcessRun.argv;

/** The real {@code shellcheck} on the real-host tests' scripts: the root filesystem recipe and the test kit. */
class RealHostScriptsShellcheckTest {

    @Test
    void realHostScripts_areShellcheckClean() {
        Path repo = TestClusters.repositoryRoot();
        List<Path> scripts = List.of(
                repo.resolve("scripts/realhost-rootfs.sh"),
                repo.resolve("scripts/realhost/pause-image.sh"),
                repo.resolve("scripts/realhost/standin.sh"),
                repo.resolve("scripts/realhost/modprobe-standin.sh"),
                repo.resolve("hardway-core/src/test/resources/dev/hardway/realhost/killpoint.sh"));
        for (Path script : scripts) {
            assertTrue(Files.isRegularFile(script), "missing " + script);
            ProcessRun check = ProcessRun.run(Duration.ofSeconds(60),
                    argv(ToolLookup.tool("shellcheck"), "--format=gcc", script));
            assertTrue(check.succeeded(), check::describe);
        }
    }
}
