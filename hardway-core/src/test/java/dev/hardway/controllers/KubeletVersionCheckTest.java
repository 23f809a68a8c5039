package dev.hardway.controllers;

import dev.hardway.model.ResolvedCluster;
import dev.hardway.testing.Poll;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The kubelet unit's ExecStartPre, {@code kubelet-version-check.sh}, as installed on a worker, against a TLS server
 * at the endpoint name: {@code openssl s_server} with the generated API server certificate, demanding a client
 * certificate from the cluster CA (as kube-apiserver's --client-ca-file does) and serving {@code /version} the way
 * kube-apiserver prints it. Real curl, real TLS, inside a network namespace; the kubelet is a stand-in that
 * answers {@code --version} as the real one does ("Kubernetes v1.34.1").
 */
class KubeletVersionCheckTest {
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final String CHECK = "/usr/local/lib/hardway/kubelet-version-check.sh";

    @TempDir
    static Path work;
    private static InstalledCluster installed;
    private static NetworkNamespace ns;
    private static Path site;
    private static Path log;

    @BeforeAll
    static void serveTheApiServersVersion() throws IOException {
        ToolLookup.requireRoot("TLS in a network namespace");
        installed = InstalledCluster.install("minimal", "1.34.1", work);
        ResolvedCluster cluster = installed.cluster();
        String controller = cluster.controllers().get(0).name();
        SystemdUnit apiServer = installed.unit(controller, "kube-apiserver");
        Path root = installed.root(controller);
        String address = apiServer.flag("advertise-address");
        site = Files.createDirectories(work.resolve("site"));
        apiVersion("1.34.1");
        ns = NetworkNamespace.create("kubelet-check");
        ns.addAddresses(List.of(address));
        ns.hosts(Map.of(cluster.apiEndpointHost(), address));
        log = work.resolve("s_server.log");
        ns.start(log, "sh", "-c", "cd \"$1\" && exec \"$2\" s_server -accept \"$3\" -cert \"$4\" -key \"$5\" "
                        + "-CAfile \"$6\" -Verify 1 -verify_return_error -WWW", "s_server", site,
                ToolLookup.tool("openssl"), address + ":" + cluster.apiEndpointPort(),
                SystemdUnit.under(root, apiServer.flag("tls-cert-file")),
                SystemdUnit.under(root, apiServer.flag("tls-private-key-file")),
                SystemdUnit.under(root, apiServer.flag("client-ca-file")));
        awaitListening();
    }

    @AfterAll
    static void stop() {
        if (ns != null) {
            ns.close();
        }
    }

    /** kube-apiserver's /version, pretty-printed as it answers. */
    private static void apiVersion(String version) throws IOException {
        String[] parts = version.split("\\.");
        Files.writeString(site.resolve("version"), """
                {
                  "major": "1",
                  "minor": "%s",
                  "emulationMajor": "1",
                  "emulationMinor": "%s",
                  "gitVersion": "v%s",
                  "gitCommit": "0000000000000000000000000000000000000000",
                  "gitTreeState": "clean",
                  "buildDate": "2026-01-01T00:00:00Z",
                  "goVersion": "go1.24.0",
                  "compiler": "gc",
                  "platform": "linux/amd64"
                }
                """.formatted(parts[1], parts[1], version));
    }

    private static Path kubelet(String version) throws IOException {
        Path stand = work.resolve("kubelet-" + version);
        Files.writeString(stand, "#!/bin/sh\necho 'Kubernetes v" + version + "'\n");
        Files.setPosixFilePermissions(stand, PosixFilePermissions.fromString("rwxr-xr-x"));
        return stand;
    }

    private static ProcessRun check(String kubeletVersion) throws IOException {
        String worker = installed.cluster().workers().get(0).name();
        return ns.run(CALL, "sh", installed.onHost(worker, CHECK), kubelet(kubeletVersion),
                installed.onHost(worker, "/var/lib/kubelet/kubeconfig"));
    }

    @Test
    void kubeletOfTheApiServersRelease_starts_afterTheServerVerifiedItsClientCertificate() throws IOException {
        apiVersion("1.34.1");

        ProcessRun run = check("1.34.1");

        assertEquals(0, run.exitCode(), run::describe);
        assertTrue(run.output().contains("kubelet 1.34.1, API server 1.34.1 at https://server.kubernetes.local:6443: "
                + "within the version skew policy"), run::describe);
        assertTrue(Files.readString(log).contains("CN = system:node:worker-0"),
                "s_server verified the kubelet's own client certificate:\n" + Files.readString(log));
    }

    @Test
    void kubeletNewerThanTheApiServer_isRefused_namingBothVersionsAndWhatToDo() throws IOException {
        apiVersion("1.33.4");

        ProcessRun run = check("1.34.1");

        assertEquals(1, run.exitCode(), run::describe);
        assertTrue(run.output().contains("kubelet 1.34.1 is newer than the API server at "
                + "https://server.kubernetes.local:6443 (1.33.4); a kubelet must never be newer than kube-apiserver "
                + "(the version skew policy). Upgrade every controller to 1.34 first"), run::describe);
    }

    @Test
    void kubeletThreeMinorsOlder_starts_fourIsRefused() throws IOException {
        apiVersion("1.34.1");

        ProcessRun three = check("1.31.9");
        ProcessRun four = check("1.30.2");

        assertEquals(0, three.exitCode(), three::describe);
        assertEquals(1, four.exitCode(), four::describe);
        assertTrue(four.output().contains("more than three minor releases older"), four::describe);
    }

    @Test
    void apiServerWithoutTheKubeletsCredentials_orNotAnswering_letsTheKubeletStart_sayingSo() throws IOException {
        // the server demands a client certificate: curl without one is refused, so the check above sent its own
        ProcessRun anonymous = ns.run(CALL, ToolLookup.tool("curl"), "-sS", "--max-time", "5", "-k",
                "https://" + installed.cluster().apiEndpointHost() + ":6443/version");
        assertFalse(anonymous.succeeded(), anonymous::describe);

        String worker = installed.cluster().workers().get(0).name();
        Path elsewhere = work.resolve("kubeconfig-elsewhere");
        Files.writeString(elsewhere, Files.readString(installed.onHost(worker, "/var/lib/kubelet/kubeconfig"))
                .replace(":6443", ":6444"));
        ProcessRun down = ns.run(CALL, "sh", installed.onHost(worker, CHECK), kubelet("1.34.1"), elsewhere);

        assertEquals(0, down.exitCode(), down::describe);
        assertTrue(down.output().contains("the API server at https://server.kubernetes.local:6444 did not answer "
                + "/version"), down::describe);
    }

    private static void awaitListening() throws IOException {
        if (!Poll.opensslListening(log)) {
            fail("openssl s_server did not start listening within 15 s:\n" + Files.readString(log));
        }
    }
}
