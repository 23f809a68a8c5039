package dev.hardway.realtools;

import dev.hardway.testing.TestClusters;

import dev.hardway.testing.SystemdRoot;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker's systemd units checked by the real {@code systemd-analyze verify} (systemd 252 on Debian 12) in a
 * scratch root: the bundle installed there by its own install.sh, the host's stock units (sysinit.target,
 * network-online.target, ...) copied in so dependencies resolve, and an executable stub at every path an
 * {@code Exec*=} line names, since the real kubelet and friends are not installed on the test machine.
 */
class SystemdUnitsVerifyTest {
    private static final String NODE = "worker-0";
    private static final List<String> UNITS = List.of("hardway-pod-masquerade.service", "containerd.service",
            "kubelet.service", "kube-proxy.service");
    private static final Pattern EXEC = Pattern.compile("(?m)^(Exec[A-Za-z]*)=([-@:+!]*)(\\S+)");

    @TempDir
    static Path scratch;
    static Path bundle;

    @BeforeAll
    static void generate() {
        bundle = GeneratedCluster.minimal(scratch).unpack(NODE, scratch.resolve("unpacked"));
    }

    /** A root with the bundle installed, the host's stock units and stubs for every Exec binary. */
    private static Path preparedRoot(String name) throws IOException {
        return preparedRoot(name, bundle, UNITS);
    }

    private static Path preparedRoot(String name, Path bundle, List<String> units) throws IOException {
        Path root = Files.createDirectories(scratch.resolve(name));
        RealTools.command("bash", bundle.resolve("install.sh").toString(), "--root", root.toString()).runOk();
        SystemdRoot.copyStockUnits(root);
        for (String unit : units) {
            for (Exec exec : execLines(unitFile(root, unit))) {
                Path stub = root.resolve(exec.binary().substring(1));
                if (!Files.exists(stub)) {
                    Files.createDirectories(stub.getParent());
                    Files.writeString(stub, "#!/bin/sh\nexit 0\n");
                    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        return root;
    }

    private static Path unitFile(Path root, String unit) {
        return root.resolve("etc/systemd/system").resolve(unit);
    }

    private record Exec(String key, String prefix, String binary) {
    }

    private static List<Exec> execLines(Path unit) throws IOException {
        List<Exec> execs = new ArrayList<>();
        Matcher m = EXEC.matcher(Files.readString(unit));
        while (m.find()) {
            execs.add(new Exec(m.group(1), m.group(2), m.group(3)));
        }
        return execs;
    }

    private static RealTools.Result verify(Path root, List<String> units) {
        List<String> argv = new ArrayList<>(List.of(RealTools.tool("systemd-analyze").toString(), "verify",
                "--man=no", "--root=" + root));
        units.forEach(u -> argv.add(unitFile(root, u).toString()));
        return RealTools.command(argv).run();
    }

    @Test
    void workerUnits_inScratchRootWithStubBinaries_passSystemdAnalyzeVerifyWithoutWarnings() throws IOException {
        Path root = preparedRoot("root-ok");

        RealTools.Result verify = verify(root, UNITS);

        assertEquals(0, verify.exitCode(), verify.describe());
        // verify exits 0 on unknown keys and only warns: any output at all is a finding
        assertEquals("", verify.stdout() + verify.stderr(), verify.describe());
    }

    @Test
    void systemdAnalyzeVerify_onUnitWithUnknownKey_warnsAboutIt() throws IOException {
        // the harness check the test above relies on: this systemd-analyze does report unknown keys
        Path root = preparedRoot("root-unknown-key");
        Path kubelet = unitFile(root, "kubelet.service");
        Files.writeString(kubelet, Files.readString(kubelet).replace("[Service]\n", "[Service]\nNetworkPlugin=cni\n"));

        RealTools.Result verify = verify(root, List.of("kubelet.service"));

        assertTrue(verify.stderr().contains("Unknown key 'NetworkPlugin'"), verify.describe());
    }

    @Test
    void systemdAnalyzeVerify_withoutTheKubeletBinary_fails() throws IOException {
        // ... and it really looks for ExecStart binaries inside the root, so the stubs above are needed and used
        Path root = preparedRoot("root-no-kubelet");
        Files.delete(root.resolve("usr/local/bin/kubelet"));

        RealTools.Result verify = verify(root, List.of("kubelet.service"));

        assertNotEquals(0, verify.exitCode(), verify.describe());
        assertTrue(verify.stderr().contains("/usr/local/bin/kubelet"), verify.describe());
    }

    @Test
    void workerUnits_everyExecStartBinary_isCheckedByInstallScriptPreflight() throws IOException {
        // install.sh's preflight checks the list its node's install.manifest gives
        Matcher preflight = Pattern.compile("(?m)^BINARIES=\\((.*)\\)$").matcher(
                Files.readString(bundle.resolve("install.manifest")));
        assertTrue(preflight.find(), "install.manifest has no BINARIES=(...) preflight list");
        Set<String> checked = new LinkedHashSet<>(Arrays.asList(preflight.group(1).split(" ")));

        List<String> started = new ArrayList<>();
        for (String unit : UNITS) {
            execLines(bundle.resolve("files/etc/systemd/system").resolve(unit)).stream()
                    .filter(e -> e.key().equals("ExecStart"))
                    .forEach(e -> started.add(e.binary()));
        }

        assertEquals(UNITS.size(), new LinkedHashSet<>(started).size(), "ExecStart programs: " + started);
        assertTrue(checked.containsAll(started), "install.sh checks " + checked + " but the units start " + started);
    }

    /**
     * A controller that is also a Node (samples/stacked's controller-1, samples/single-node's only node, whose
     * kube-proxy loads the ipvs modules in ExecStartPre): its Node units and the unit that labels it
     * node-role.kubernetes.io/control-plane pass verify beside the control plane's.
     */
    @ParameterizedTest
    @CsvSource({"stacked,controller-1", "single-node,node-0"})
    void stackedControllerNodeUnits_passSystemdAnalyzeVerifyWithoutWarnings(String sample, String node)
            throws IOException {
        Path unpacked = GeneratedCluster.generate(TestClusters.sample(sample), scratch.resolve("gen-" + sample))
                .unpack(node, scratch.resolve("unpacked-" + sample));
        List<String> units = new ArrayList<>(UNITS);
        units.addAll(List.of("hardway-node-role.service", "kube-apiserver.service", "etcd.service"));
        Path root = preparedRoot("root-" + sample, unpacked, units);

        RealTools.Result verify = verify(root, units);

        assertEquals(0, verify.exitCode(), verify.describe());
        assertEquals("", verify.stdout() + verify.stderr(), verify.describe());
        // the same install.sh, run again on that root, changes nothing; and shellcheck finds nothing in it
        String again = RealTools.command("bash", unpacked.resolve("install.sh").toString(), "--root", root.toString())
                .runOk().stdout().strip();
        assertTrue(again.substring(again.lastIndexOf('\n') + 1).matches("0 changed, [1-9][0-9]* unchanged"), again);
        RealTools.Result shellcheck = RealTools.command("shellcheck", "--shell=bash", "--format=gcc",
                unpacked.resolve("install.sh").toString()).run();
        assertEquals(0, shellcheck.exitCode(), shellcheck.describe());
    }
}
