package dev.hardway.realtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated containerd configuration loaded by the real containerd 1.7 (Debian 13's 1.7.24):
 * {@code containerd --config FILE config dump} parses the file with containerd's own schema (a wrong type or
 * broken TOML fails it) and prints the effective configuration, in which the settings that matter must survive.
 *
 * <p>The default for Kubernetes 1.32 is containerd 2.x with config version 3; no containerd 2 binary is available
 * here, so that format is covered by the approval files, and this test selects 1.7 in cluster.yaml.
 */
class ContainerdConfigDumpTest {
    private static final String NODE = "worker-0";
    private static final String CRI = "io.containerd.grpc.v1.cri";

    @TempDir
    static Path scratch;
    static Path config17;
    static Path kubeletConfig17;
    static Path configDefault;

    @BeforeAll
    static void generate() throws IOException {
        String sample = Files.readString(TestClusters.sample("minimal"));
        String withContainerd17 = sample.replace("kubernetesVersion: 1.32.3\n",
                "kubernetesVersion: 1.32.3\ncontainerd:\n  version: 1.7.24\n");
        assertNotEquals(sample, withContainerd17, "samples/minimal names kubernetesVersion 1.32.3");
        Path spec = Files.writeString(Files.createDirectories(scratch.resolve("spec17")).resolve("cluster.yaml"),
                withContainerd17);
        Path files17 = GeneratedCluster.generate(spec, scratch.resolve("gen17")).unpack(NODE, scratch.resolve("x17"))
                .resolve("files");
        config17 = files17.resolve("etc/containerd/config.toml");
        kubeletConfig17 = files17.resolve("var/lib/kubelet/kubelet-config.yaml");
        configDefault = GeneratedCluster.minimal(scratch.resolve("gen-default")).unpack(NODE, scratch.resolve("x"))
                .resolve("files/etc/containerd/config.toml");
    }

    private static RealTools.Result dump(Path config) {
        return RealTools.command("containerd", "--config", config.toString(), "config", "dump").run();
    }

    @Test
    void containerd17_configDumpOfGeneratedVersion2Config_keepsSystemdCgroupSandboxImageAndCniPaths()
            throws IOException {
        assertTrue(Files.readString(config17).contains("\nversion = 2\n"), "containerd 1.7 selected format 2");

        RealTools.Result dump = dump(config17);

        assertEquals(0, dump.exitCode(), "containerd 1.7 rejected the generated config.toml\n" + dump.describe());
        assertFalse(dump.stderr().contains("level=warning") || dump.stderr().contains("level=error"),
                "containerd complained while loading the config\n" + dump.describe());
        JsonNode effective = new TomlMapper().readTree(dump.stdout());
        JsonNode cri = effective.path("plugins").path(CRI);
        assertEquals(2, effective.path("version").asInt(), dump.stdout());
        assertEquals("registry.k8s.io/pause:3.10", cri.path("sandbox_image").asText());
        assertEquals("runc", cri.at("/containerd/default_runtime_name").asText());
        JsonNode runc = cri.at("/containerd/runtimes/runc");
        assertEquals("io.containerd.runc.v2", runc.path("runtime_type").asText());
        assertTrue(runc.at("/options/SystemdCgroup").isBoolean() && runc.at("/options/SystemdCgroup").asBoolean(),
                "SystemdCgroup in the effective config: " + runc.at("/options"));
        assertEquals("/usr/local/sbin/runc", runc.at("/options/BinaryName").asText());
        assertEquals("/opt/cni/bin", cri.at("/cni/bin_dir").asText());
        assertEquals("/etc/cni/net.d", cri.at("/cni/conf_dir").asText());
    }

    @Test
    void containerd17Config_systemdCgroup_agreesWithKubeletCgroupDriver() throws IOException {
        assertTrue(Files.readString(kubeletConfig17).contains("\ncgroupDriver: systemd\n"),
                "the kubelet must use the systemd cgroup driver that containerd's SystemdCgroup = true implies");
    }

    @Test
    void containerd17_givenTheDefaultVersion3Config_rejectsIt() throws IOException {
        // why the containerd version in cluster.yaml matters: 1.7 cannot read the containerd 2 format
        assertTrue(Files.readString(configDefault).contains("\nversion = 3\n"), "the default is format 3");

        RealTools.Result dump = dump(configDefault);

        assertNotEquals(0, dump.exitCode(), dump.describe());
        assertTrue(dump.stderr().contains("version"), dump.describe());
    }

    /**
     * A controller that is also a Node runs the same containerd as a worker: samples/stacked's controller-1, with
     * containerd 1.7 pinned, gets a config.toml that containerd 1.7 loads with the same effective CRI settings.
     */
    @Test
    void stackedController_containerd17ConfigDump_keepsSystemdCgroupSandboxImageAndCniPaths() throws IOException {
        String stacked = Files.readString(TestClusters.sample("stacked"));
        String with17 = stacked.replace("kubernetesVersion: 1.34.2\n", "kubernetesVersion: 1.34.2\ncontainerd:\n"
                + "  version: 1.7.24\n");
        assertNotEquals(stacked, with17, "samples/stacked names kubernetesVersion 1.34.2");
        Path spec = Files.writeString(Files.createDirectories(scratch.resolve("spec-stacked")).resolve("cluster.yaml"),
                with17);
        Path config = GeneratedCluster.generate(spec, scratch.resolve("gen-stacked"))
                .unpack("controller-1", scratch.resolve("x-stacked")).resolve("files/etc/containerd/config.toml");

        RealTools.Result dump = dump(config);

        assertEquals(0, dump.exitCode(), dump.describe());
        assertFalse(dump.stderr().contains("level=warning") || dump.stderr().contains("level=error"), dump.describe());
        JsonNode cri = new TomlMapper().readTree(dump.stdout()).path("plugins").path(CRI);
        assertEquals("registry.k8s.io/pause:3.10.1", cri.path("sandbox_image").asText());
        assertTrue(cri.at("/containerd/runtimes/runc/options/SystemdCgroup").asBoolean(), dump.stdout());
        assertEquals("/opt/cni/bin", cri.at("/cni/bin_dir").asText());
        assertEquals("/etc/cni/net.d", cri.at("/cni/conf_dir").asText());
    }
}
