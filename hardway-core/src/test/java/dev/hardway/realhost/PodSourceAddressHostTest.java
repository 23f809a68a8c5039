package dev.hardway.realhost;

import dev.hardway.testing.ProcessRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CNI configuration (issue 8, item 1): pods on two workers reach each other with their own source addresses,
 * as the Kubernetes network model requires (no NAT between pods). The bridge plugin's own {@code ipMasq} would
 * masquerade everything leaving the node's pod subnet, pod-to-pod traffic to other nodes included, and the peer
 * would see the worker's address; hardway masquerades only traffic leaving {@code clusterCidr}
 * (hardway-pod-masquerade.service), which this test holds.
 */
class PodSourceAddressHostTest {
    private static RealHostCluster cluster;

    @BeforeAll
    static void boot() {
        cluster = RealHostCluster.shared();
    }

    @Test
    void podToPodAcrossWorkers_peerSeesThePodsOwnAddress() {
        BootedNode w0 = cluster.node("worker-0");
        BootedNode w1 = cluster.node("worker-1");
        try (Sandbox client = Sandbox.run(w0, "src-client"); Sandbox server = Sandbox.run(w1, "src-server")) {
            // the server answers each connection with its own view of it: netstat shows the peer address it sees
            w1.shOk(Duration.ofSeconds(10), "setsid nsenter --net=" + server.netns() + " busybox timeout 30 busybox"
                    + " nc -l -p 7777 -e busybox netstat -tn </dev/null >/dev/null 2>&1 &");
            ProcessRun seen = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                seen = client.inNetns(Duration.ofSeconds(15), "busybox nc -w 5 " + server.ip() + " 7777");
                if (seen.output().contains(server.ip() + ":7777")) {
                    break;
                }
                sleepQuietly();
            }
            String view = seen.output().lines().filter(l -> l.contains(server.ip() + ":7777")).findFirst()
                    .orElseThrow(() -> new AssertionError("no answer from the server pod"));
            // an IPv6 socket shows an IPv4 peer as ::ffff:a.b.c.d
            String peer = view.trim().split("\\s+")[4].replaceFirst("^::ffff:", "");
            System.out.println("real-host: " + server.ip() + " sees the connection from " + client.ip() + " as from "
                    + peer);
            assertTrue(peer.startsWith(client.ip() + ":"), () -> "the server pod " + server.ip() + " sees "
                    + peer + ", not the client pod " + client.ip() + ": pod-to-pod traffic is NATed (" + view + ")");
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
