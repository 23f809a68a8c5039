package dev.hardway.controllers;

import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.api.RenderedBundle;
import dev.hardway.api.RenderedFile;
import dev.hardway.artifacts.PodRoutes;
import dev.hardway.testing.ProcessRun;
import dev.hardway.testing.TestClusters;
import dev.hardway.testing.ToolLookup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.hardway.testing.ProcessRun.argv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker removed from the middle of {@code workers:}: the next install of the remaining nodes' bundles restarts
 * {@code hardway-pod-routes} on every one of them (the route table changed there), and the generated
 * {@code apply-pod-routes.sh}, run with real {@code ip} in a network namespace standing in for a node, removes the
 * departed worker's route, keeps the others' (whose subnets did not move) and leaves routes that are not
 * hardway's alone.
 */
class RemovedWorkerRoutesTest {
    private static final Duration STEP = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private GenerationResult generate(String spec, String out) throws IOException {
        Path file = Files.writeString(work.resolve("cluster.yaml"), spec);
        return Hardway.generate(TestClusters.request(file, work.resolve("pki")).outputDirectory(work.resolve(out))
                .build());
    }

    private static String text(RenderedBundle bundle, String path) {
        RenderedFile f = bundle.files().stream().filter(h -> h.path().equals(path)).findFirst().orElseThrow();
        return new String(f.content(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private ProcessRun install(String out, String node, Path root) throws IOException {
        Path bundles = Files.createDirectories(work.resolve("unpacked-" + out));
        ProcessRun untar = ProcessRun.run(STEP, argv("tar", "-xzf", work.resolve(out).resolve(node + ".tar.gz"),
                "-C", bundles));
        assertTrue(untar.succeeded(), untar::describe);
        ProcessRun install = ProcessRun.run(STEP, argv("bash", bundles.resolve(node).resolve("install.sh"), "--root",
                root));
        assertTrue(install.succeeded(), install::describe);
        return install;
    }

    @Test
    void middleWorkerRemoved_everyNodeReappliesItsRoutes_andTheDepartedWorkersRouteIsGone() throws IOException {
        ToolLookup.requireRoot("routes in a network namespace");
        String ha = Files.readString(TestClusters.sample("ha"));
        GenerationResult before = generate(ha, "before");
        GenerationResult after = generate(ha.replaceFirst("(?s)  - name: worker-1\\n.*?(?=  - name: worker-2)", ""),
                "after");

        // every remaining node: its route table changed, and installing the new bundle restarts the route unit
        List<String> nodes = after.rendered().bundles().stream().map(RenderedBundle::node).toList();
        assertEquals(List.of("controller-0", "controller-1", "controller-2", "worker-0", "worker-2"), nodes);
        for (String node : nodes) {
            assertFalse(text(before.rendered().bundle(node), PodRoutes.TABLE)
                            .equals(text(after.rendered().bundle(node), PodRoutes.TABLE)),
                    node);
            Path root = Files.createDirectories(work.resolve("roots").resolve(node));
            install("before", node, root);
            ProcessRun second = install("after", node, root);
            assertTrue(second.output().contains("--root: on a host this run would restart hardway-pod-routes"),
                    node + ":\n" + second.output());
        }

        Path apply = Files.writeString(work.resolve("apply-pod-routes.sh"),
                text(after.rendered().bundle("worker-0"), PodRoutes.APPLY));
        Path oldTable = Files.writeString(work.resolve("pod-routes.before"),
                text(before.rendered().bundle("worker-0"), PodRoutes.TABLE));
        Path newTable = Files.writeString(work.resolve("pod-routes.after"),
                text(after.rendered().bundle("worker-0"), PodRoutes.TABLE));
        // controller-0's host: its address on a link of the nodes' network
        try (NetworkNamespace ns = NetworkNamespace.create("routes")) {
            // no dummy driver in every kernel (containers): a veth pair, both ends in the namespace
            ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
            ns.ip("link", "set", "eth1", "up");
            ns.ip("addr", "add", "10.240.0.10/24", "dev", "eth0");
            ns.ip("link", "set", "eth0", "up");
            ns.ip("route", "add", "192.0.2.0/24", "via", "10.240.0.20", "proto", "static");

            run(ns, apply, "apply", oldTable);
            assertEquals(List.of("10.200.0.0/24 via 10.240.0.20", "10.200.1.0/24 via 10.240.0.21",
                    "10.200.2.0/24 via 10.240.0.22"), hardwayRoutes(ns));

            run(ns, apply, "apply", newTable);
            assertEquals(List.of("10.200.0.0/24 via 10.240.0.20", "10.200.2.0/24 via 10.240.0.22"), hardwayRoutes(ns),
                    "worker-1's route is gone, worker-2's subnet did not move");
            ProcessRun all = ns.run(STEP, "ip", "route", "show");
            assertTrue(all.output().contains("192.0.2.0/24 via 10.240.0.20"), "a route not hardway's stays:\n"
                    + all.output());

            // the unit's ExecStop: a restart keeps the routes, a removed table takes them away
            run(ns, apply, "stop", newTable);
            assertEquals(List.of("10.200.0.0/24 via 10.240.0.20", "10.200.2.0/24 via 10.240.0.22"), hardwayRoutes(ns));
            run(ns, apply, "stop", work.resolve("no-such-table"));
            assertEquals(List.of(), hardwayRoutes(ns));
            run(ns, apply, "apply", newTable);
            run(ns, apply, "flush", newTable);
            assertEquals(List.of(), hardwayRoutes(ns));
        }
    }

    private static void run(NetworkNamespace ns, Path apply, String action, Path table) {
        ProcessRun r = ns.run(STEP, "sh", apply, action, table);
        assertTrue(r.succeeded(), r::describe);
    }

    /** hardway's routes (protocol 212), as "subnet via gateway", sorted. */
    private static List<String> hardwayRoutes(NetworkNamespace ns) {
        ProcessRun r = ns.run(STEP, "ip", "-4", "route", "show", "proto", "212");
        assertTrue(r.succeeded(), r::describe);
        return r.output().lines().map(l -> l.replaceFirst("^(\\S+ via \\S+).*$", "$1")).sorted().toList();
    }
}
