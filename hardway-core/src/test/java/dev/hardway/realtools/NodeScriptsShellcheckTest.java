package dev.hardway.realtools;

import dev.hardway.api.RenderedCluster;
import dev.hardway.api.RenderedFile;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real {@code shellcheck} on every program a bundle installs for systemd to run (the pod routes' apply
 * script, the etcd membership script, the kubelet's version check), in the shell its first line names. install.sh has its own test.
 */
class NodeScriptsShellcheckTest {

    @Test
    void everyInstalledShellProgram_isShellcheckClean(@TempDir Path scratch) throws IOException {
        RenderedCluster rendered = TestClusters.renderRepeatably("ha", scratch.resolve("pki"));
        Set<String> checked = new TreeSet<>();
        for (var bundle : rendered.bundles()) {
            for (RenderedFile f : bundle.files()) {
                String text = new String(f.content(), StandardCharsets.UTF_8);
                if (!text.startsWith("#!/bin/sh") || !checked.add(f.path())) {
                    continue;
                }
                Path script = Files.writeString(scratch.resolve(Path.of(f.path()).getFileName().toString()), text);

                RealTools.Result check = RealTools.command("shellcheck", "--shell=sh", "--format=gcc",
                        script.toString()).run();

                assertEquals(0, check.exitCode(), f.path() + "\n" + check.describe());
            }
        }
        assertEquals(Set.of("/usr/local/lib/hardway/apply-pod-routes.sh",
                "/usr/local/lib/hardway/etcd-membership.sh", "/usr/local/lib/hardway/kubelet-version-check.sh"),
                checked);
    }
}
