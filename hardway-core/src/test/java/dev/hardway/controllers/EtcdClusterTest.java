package dev.hardway.controllers;

import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.ToolLookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hardway.model.ResolvedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * samples/ha's etcd (at Kubernetes 1.33, which kubeadm pairs with etcd 3.5), run for real: Debian 13's etcd 3.5, one process per controller, each started with exactly
 * the arguments of that controller's generated etcd.service (paths pointing into where its bundle was installed)
 * and the initial cluster its membership script gives a member when no other member answers: state {@code new}
 * and every member of the generated members file, as {@code ETCD_INITIAL_CLUSTER*} in the environment,
 * each in a network namespace holding that controller's internalIp, the three joined by a bridge in a fourth.
 * The client is etcdctl on the first controller with the etcd client certificate the generated
 * kube-apiserver.service uses, against every member of the members file; the API server itself names only its own
 * member in --etcd-servers, as kubeadm's stacked control plane does.
 *
 * <p>Why not all members in one namespace: there every connection to a local address leaves from that same
 * address, so each peer would appear to come from the member it dialled, and etcd rightly rejects a peer whose
 * certificate does not name the address it connects from.
 */
class EtcdClusterTest {
    private static final Duration FORMATION_LIMIT = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void haSample_threeMembersWithGeneratedFlags_formTlsClusterServingOnlyEtcdCaClients(@TempDir Path work)
            throws IOException {
        ToolLookup.requireRoot("starting etcd in a network namespace");
        Path etcd = ToolLookup.debian13("etcd");
        Path etcdctl = ToolLookup.debian13("etcdctl");
        // this machine's etcd is 3.5 (Debian 13): samples/ha at a Kubernetes minor kubeadm pairs with etcd 3.5, so
        // the unit carries the 3.5 spelling of its flags (3.6's --feature-gates would be refused by this binary)
        InstalledCluster installed = InstalledCluster.install("ha", "1.33.5", work);
        assertEquals("3.5", installed.cluster().release().etcdVersion().substring(0, 3));
        ResolvedCluster cluster = installed.cluster();
        String first = cluster.controllers().get(0).name();

        SystemdUnit apiServer = installed.unit(first, "kube-apiserver");
        assertEquals("https://" + cluster.controllers().get(0).internalIp() + ":2379", apiServer.flag("etcd-servers"),
                "kube-apiserver talks to its own member");
        String endpoints = clientUrlsOf(installed.onHost(first, "/etc/hardway/etcd-members"));
        Path root = installed.root(first);
        List<String> apiServerTls = List.of(
                "--cacert=" + SystemdUnit.under(root, apiServer.flag("etcd-cafile")),
                "--cert=" + SystemdUnit.under(root, apiServer.flag("etcd-certfile")),
                "--key=" + SystemdUnit.under(root, apiServer.flag("etcd-keyfile")));

        // the unit names no member: joining or bootstrapping is decided at start, from the members file
        String initialCluster = initialClusterOf(installed.onHost(first, "/etc/hardway/etcd-members"));
        assertEquals(cluster.controllers().stream().map(c -> c.name() + "=https://" + c.internalIp() + ":2380")
                .collect(java.util.stream.Collectors.joining(",")), initialCluster);
        String etcdUnit = Files.readString(installed.onHost(first, "/etc/systemd/system/etcd.service"));
        assertFalse(etcdUnit.contains("--initial-cluster="), "etcd.service must not list the members");
        assertFalse(etcdUnit.contains("--initial-cluster-state"), "etcd.service must not fix the cluster state");
        assertTrue(etcdUnit.contains("EnvironmentFile=-/run/etcd/bootstrap.env"), etcdUnit);

        try (VirtualNetwork network = VirtualNetwork.create("etcd")) {
            List<Path> logs = new ArrayList<>();
            List<NetworkNamespace> hosts = new ArrayList<>();
            for (ResolvedCluster.Node controller : cluster.controllers()) {
                NetworkNamespace host = network.host("etcd" + hosts.size(), controller.internalIp());
                hosts.add(host);
                SystemdUnit unit = installed.unit(controller.name(), "etcd");
                assertEquals("/usr/local/bin/etcd", unit.binary());
                Path log = work.resolve("etcd-" + controller.name() + ".log");
                logs.add(log);
                host.start(log, "env", "ETCD_INITIAL_CLUSTER_STATE=new", "ETCD_INITIAL_CLUSTER=" + initialCluster,
                        etcd, unit.argumentsUnder(installed.root(controller.name())));
            }
            // the client runs where kube-apiserver does: on a controller
            NetworkNamespace ns = hosts.get(0);

            Instant started = Instant.now();
            JsonNode health = awaitHealthy(ns, etcdctl, endpoints, apiServerTls, logs);
            System.out.printf("etcd: 3 members healthy %d ms after start%n",
                    Duration.between(started, Instant.now()).toMillis());
            assertEquals(3, health.size(), health::toPrettyString);
            Set<String> healthyEndpoints = new TreeSet<>();
            health.forEach(h -> {
                assertTrue(h.path("health").asBoolean(), h::toPrettyString);
                healthyEndpoints.add(h.path("endpoint").asText());
            });
            assertEquals(new TreeSet<>(List.of(endpoints.split(","))), healthyEndpoints,
                    "every member of the members file reports healthy");

            // --listen-metrics-urls: plain-HTTP health and metrics on the member's own loopback, as kubeadm's probes use
            ProcessRun metrics = ns.run(CALL, ToolLookup.tool("curl"), "-sS", "--max-time", "5",
                    "http://127.0.0.1:2381/health");
            assertTrue(metrics.succeeded() && metrics.output().contains("\"health\":\"true\""), metrics::describe);

            ProcessRun members = ns.run(CALL, etcdctl, "--endpoints=" + endpoints, apiServerTls, "member", "list",
                    "-w", "json");
            assertTrue(members.succeeded(), members::describe);
            Set<String> names = new TreeSet<>();
            JSON.readTree(members.output()).path("members").forEach(m -> names.add(m.path("name").asText()));
            assertEquals(new TreeSet<>(cluster.controllers().stream().map(ResolvedCluster.Node::name).toList()),
                    names, "the members are the controllers of the members file");

            String value = "written-by-hardway-" + UUID.randomUUID();
            ProcessRun put = ns.run(CALL, etcdctl, "--endpoints=" + endpoints, apiServerTls, "put",
                    "/hardway/proof", value);
            assertTrue(put.succeeded() && put.output().contains("OK"), put::describe);
            // read back from each member alone: the write was replicated, and every member serves TLS clients
            for (String member : endpoints.split(",")) {
                ProcessRun get = ns.run(CALL, etcdctl, "--endpoints=" + member, apiServerTls, "get",
                        "/hardway/proof", "--print-value-only");
                assertTrue(get.succeeded(), get::describe);
                assertEquals(value, get.output().strip(), member + " returns the value written through " + endpoints);
            }

            // a kubelet's certificate comes from the cluster CA, not the etcd CA: etcd must refuse it
            String worker = cluster.workers().get(0).name();
            List<String> foreign = List.of(apiServerTls.get(0),
                    "--cert=" + installed.onHost(worker, "/var/lib/kubelet/kubelet.crt"),
                    "--key=" + installed.onHost(worker, "/var/lib/kubelet/kubelet.key"));
            ProcessRun refused = ns.run(CALL, etcdctl, "--endpoints=" + endpoints, foreign, "--dial-timeout=3s",
                    "--command-timeout=5s", "get", "/hardway/proof", "--print-value-only");
            assertFalse(refused.succeeded(), refused::describe);
            assertFalse(refused.output().contains(value), "a cluster-CA client read etcd:\n" + refused.describe());
            assertTrue(anyLogContains(logs, "unknown authority"),
                    "etcd logs the rejected client certificate as signed by an unknown authority");
        }
    }

    /** What the membership script writes for a new cluster: {@code name=peer-url} of every member, in order. */
    private static String initialClusterOf(Path membersFile) throws IOException {
        return Files.readAllLines(membersFile).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+"))
                .map(f -> f[0] + "=" + f[1]).collect(java.util.stream.Collectors.joining(","));
    }

    private static String clientUrlsOf(Path membersFile) throws IOException {
        return Files.readAllLines(membersFile).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+")[2])
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** Polls {@code endpoint health} until all members answer healthy, within {@link #FORMATION_LIMIT}. */
    private static JsonNode awaitHealthy(NetworkNamespace ns, Path etcdctl, String endpoints, List<String> tls,
                                         List<Path> logs) throws IOException {
        Instant deadline = Instant.now().plus(FORMATION_LIMIT);
        ProcessRun last = null;
        while (Instant.now().isBefore(deadline)) {
            last = ns.run(CALL, etcdctl, "--endpoints=" + endpoints, tls, "--dial-timeout=2s",
                    "--command-timeout=3s", "endpoint", "health", "-w", "json");
            if (last.succeeded()) {
                return JSON.readTree(last.output());
            }
            sleep(Duration.ofMillis(500));
        }
        StringBuilder why = new StringBuilder("no healthy 3-member cluster within " + FORMATION_LIMIT.toSeconds()
                + " s\n" + (last == null ? "" : last.describe()));
        for (Path log : logs) {
            why.append("\n--- ").append(log.getFileName()).append('\n').append(tail(log));
        }
        return fail(why.toString());
    }

    private static boolean anyLogContains(List<Path> logs, String text) throws IOException {
        for (Path log : logs) {
            if (Files.readString(log).contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
