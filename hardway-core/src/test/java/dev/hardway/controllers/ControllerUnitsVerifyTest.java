package dev.hardway.controllers;

import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.ToolLookup;

import dev.hardway.testing.SystemdRoot;

import dev.hardway.api.RenderedBundle;
import dev.hardway.api.RenderedFile;
import dev.hardway.artifacts.PodRoutes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.hardway.testing.ProcessRun.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controllers' units (and a worker's pod-route unit) under the real {@code systemd-analyze verify}: installed
 * into a scratch root by their install.sh, with the machine's stock units beside them so that dependencies such as
 * network-online.target resolve, and an executable stub at each path an {@code Exec*=} line names (the real
 * Kubernetes binaries are not on the test machine; systemd checks that they exist and are executable).
 */
class ControllerUnitsVerifyTest {
    /** An Exec*= line: its prefix ("-": failure ignored) and the program. */
    private static final Pattern EXEC = Pattern.compile("(?m)^Exec[A-Za-z]*=([-@:+!]*)(\\S+)");

    @TempDir
    static Path work;
    private static InstalledCluster installed;

    @BeforeAll
    static void install() {
        installed = InstalledCluster.install("ha", work);
    }

    @Test
    void haSample_controllerAndPodRouteUnits_passSystemdAnalyzeVerifyWithoutAnyFinding() throws IOException {
        Path systemdAnalyze = ToolLookup.tool("systemd-analyze");
        List<String> nodes = List.of(installed.cluster().controllers().get(0).name(),
                installed.cluster().workers().get(0).name());
        int verified = 0;
        for (String node : nodes) {
            Path root = installed.root(node);
            SystemdRoot.copyStockUnits(root);
            List<String> units = new ArrayList<>();
            for (RenderedFile unit : unitsToVerify(node)) {
                Path file = installed.onHost(node, unit.path());
                stubExecutables(root, file);
                units.add(file.toString());
            }
            ProcessRun verify = ProcessRun.run(Duration.ofSeconds(60), argv(systemdAnalyze, "verify", "--man=no",
                    "--root=" + root, units));
            assertEquals(0, verify.exitCode(), verify::describe);
            // verify only warns about unknown keys and bad values: any output is a finding
            assertEquals("", verify.output(), verify::describe);
            verified += units.size();
        }
        assertEquals(7, verified, "controller-0's six units and worker-0's pod-route unit");
    }

    @Test
    void haSample_everyProgramAUnitNeeds_isCheckedByInstallScriptPreflight() {
        for (RenderedBundle bundle : installed.result().rendered().bundles()) {
            Matcher preflight = Pattern.compile("(?m)^BINARIES=\\((.*)\\)$").matcher(
                    installed.result().rendered().installManifests().get(bundle.node()));
            assertTrue(preflight.find(), bundle.node() + ": install.manifest lists no executables for the preflight");
            Set<String> checked = new TreeSet<>(Arrays.asList(preflight.group(1).split(" ")));
            Set<String> execs = new TreeSet<>();
            for (RenderedFile unit : bundle.files()) {
                if (isUnit(unit)) {
                    Matcher exec = EXEC.matcher(unit.text());
                    while (exec.find()) {
                        // a program whose failure the unit ignores (ExecStop=-...) need not be there
                        // nor one the bundle itself installs (the pod-route script)
                        if (!exec.group(1).contains("-") && bundle.files().stream()
                                .noneMatch(f -> f.path().equals(exec.group(2)))) {
                            execs.add(exec.group(2));
                        }
                    }
                }
            }
            assertTrue(checked.containsAll(execs), bundle.node() + ": install.sh checks " + checked
                    + " but the units exec " + execs);
        }
    }

    /** On a controller every unit is hardway's to verify; on a worker, the pod-route unit (the others have theirs). */
    private static List<RenderedFile> unitsToVerify(String node) {
        RenderedBundle bundle = installed.result().rendered().bundle(node);
        return bundle.files().stream().filter(ControllerUnitsVerifyTest::isUnit)
                .filter(f -> bundle.role().equals("controller") || f.path().endsWith(PodRoutes.SERVICE + ".service"))
                .toList();
    }

    private static boolean isUnit(RenderedFile f) {
        return f.path().startsWith("/etc/systemd/system/");
    }

    private static void stubExecutables(Path root, Path unit) throws IOException {
        Matcher exec = EXEC.matcher(Files.readString(unit));
        while (exec.find()) {
            Path stub = Path.of(SystemdUnit.under(root, exec.group(2)));
            if (!Files.exists(stub)) {
                Files.createDirectories(stub.getParent());
                Files.writeString(stub, "#!/bin/sh\nexit 0\n");
                Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }
}
