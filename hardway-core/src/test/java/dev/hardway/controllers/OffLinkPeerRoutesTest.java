package dev.hardway.controllers;

import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedFile;
import dev.hardway.artifacts.PodRoutes;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker whose internalIp is off the other nodes' link: the generated {@code apply-pod-routes.sh}, run with real
 * {@code ip} in a network namespace standing in for controller-0 (10.240.0.10/24), adds the route to the worker
 * that is on the link although the off-link worker comes first in the table, names the one it cannot add (node,
 * address, why, what to do) and fails, so that the unit shows failed.
 */
class OffLinkPeerRoutesTest {
    private static final Duration STEP = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void offLinkWorker_theOnLinkRouteIsAdded_andTheOffLinkOneIsNamedWithWhyAndTheScriptFails() throws IOException {
        ToolLookup.requireRoot("routes in a network namespace");
        String minimal = Files.readString(TestClusters.sample("minimal"));
        // worker-0 first: the route after the refused one must still be added
        String spec = minimal.replace("    internalIp: 10.240.0.20\n    podCidr: 10.200.0.0/24\n",
                "    internalIp: 10.240.1.21\n    podCidr: 10.200.0.0/24\n"
                        + "  - name: worker-1\n    internalIp: 10.240.0.21\n    podCidr: 10.200.1.0/24\n");
        assertTrue(spec.contains("10.240.1.21"), spec);
        Path file = Files.writeString(work.resolve("cluster.yaml"), spec);
        GenerationResult result = Hardway.generate(TestClusters.request(file, work.resolve("pki"))
                .outputDirectory(work.resolve("out")).build());
        Path apply = Files.writeString(work.resolve("apply-pod-routes.sh"), text(result, PodRoutes.APPLY));
        Path table = Files.writeString(work.resolve("pod-routes"), text(result, PodRoutes.TABLE));

        try (NetworkNamespace ns = NetworkNamespace.create("offlink")) {
            ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
            ns.ip("link", "set", "eth1", "up");
            ns.ip("addr", "add", "10.240.0.10/24", "dev", "eth0");
            ns.ip("link", "set", "eth0", "up");

            ProcessRun run = ns.run(STEP, "sh", apply, "apply", table);
            assertEquals(1, run.exitCode(), run::describe);
            assertEquals(List.of("10.200.1.0/24 via 10.240.0.21"), hardwayRoutes(ns), run.describe());
            String message = run.output();
            assertTrue(message.contains("node worker-0 (internalIp 10.240.1.21), pod subnet 10.200.0.0/24: "
                    + "10.240.1.21 is not on a network this host is directly attached to "
                    + "(this host has no route to it at all); ip said: "), message);
            assertTrue(message.contains("every node must be on one layer-2 network"), message);
            assertTrue(message.contains("CNI plugin with an overlay"), message);
            assertTrue(!message.contains("worker-1"), "the route that was added is not named:\n" + message);

            // with a router to the other subnet the address is reachable, but still not as a gateway: the
            // message says through what
            ns.ip("route", "add", "default", "via", "10.240.0.1");
            ProcessRun routed = ns.run(STEP, "sh", apply, "apply", table);
            assertEquals(1, routed.exitCode(), routed::describe);
            assertTrue(routed.output().contains("10.240.1.21 is not on a network this host is directly attached to "
                    + "(it is reached only through the router 10.240.0.1)"), routed.output());
            assertEquals(List.of("10.200.1.0/24 via 10.240.0.21"), hardwayRoutes(ns));

            // the address fixed: every route is in, and the script succeeds again
            Path fixed = Files.writeString(work.resolve("pod-routes.fixed"),
                    Files.readString(table).replace("10.240.1.21", "10.240.0.20"));
            ProcessRun again = ns.run(STEP, "sh", apply, "apply", fixed);
            assertTrue(again.succeeded(), again::describe);
            assertEquals(List.of("10.200.0.0/24 via 10.240.0.20", "10.200.1.0/24 via 10.240.0.21"),
                    hardwayRoutes(ns));
        }
    }

    private static String text(GenerationResult result, String path) {
        RenderedFile f = result.rendered().bundle("controller-0").files().stream()
                .filter(h -> h.path().equals(path)).findFirst().orElseThrow();
        return new String(f.content(), StandardCharsets.UTF_8);
    }

    /** hardway's routes (protocol 212), as "subnet via gateway", sorted. */
    private static List<String> hardwayRoutes(NetworkNamespace ns) {
        ProcessRun r = ns.run(STEP, "ip", "-4", "route", "show", "proto", "212");
        assertTrue(r.succeeded(), r::describe);
        return r.output().lines().map(l -> l.replaceFirst("^(\\S+ via \\S+).*$", "$1")).sorted().toList();
    }
}
