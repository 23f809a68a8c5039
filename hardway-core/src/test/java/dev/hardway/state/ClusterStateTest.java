package dev.hardway.state;

import dev.hardway.model.PkiStateException;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecLoader;
import dev.hardway.model.Version;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterStateTest {

    @Test
    void format_parse_roundTrips() {
        ClusterState state = new ClusterState(new Version(1, 33, 2),
                new TreeMap<>(Map.of("worker-0", "10.200.0.0/24", "worker-2", "10.200.2.0/24")),
                new TreeMap<>(Map.of("worker-1", "10.200.1.0/24")));

        String text = state.format();

        assertTrue(text.contains("kubernetesVersion 1.33.2\npodCidr worker-0 10.200.0.0/24\n"
                + "podCidr worker-2 10.200.2.0/24\nreleased worker-1 10.200.1.0/24\n"), text);
        assertEquals(state, ClusterState.parse(text, "pki/hardway-cluster.state"));
    }

    @Test
    void format_parse_roundTrips_theAddressPlan_andAFileWithoutOneStillReads() {
        ClusterState state = new ClusterState(new Version(1, 33, 2), new TreeMap<>(Map.of("worker-0", "10.200.0.0/24")),
                new TreeMap<>(), new TreeMap<>(Map.of("clusterCidr", "10.200.0.0/16", "serviceCidr", "10.32.0.0/24",
                "clusterDns", "10.32.0.10")));

        String text = state.format();

        assertTrue(text.contains("kubernetesVersion 1.33.2\nclusterCidr 10.200.0.0/16\nserviceCidr 10.32.0.0/24\n"
                + "clusterDns 10.32.0.10\npodCidr worker-0 10.200.0.0/24\n"), text);
        assertEquals(state, ClusterState.parse(text, "pki/hardway-cluster.state"));
        // as an earlier hardway wrote it: no plan recorded, so no change can be warned of yet
        assertEquals(Map.of(), ClusterState.parse("kubernetesVersion 1.33.2\npodCidr worker-0 10.200.0.0/24\n",
                "pki/hardway-cluster.state").network());
        PkiStateException e = assertThrows(PkiStateException.class, () -> ClusterState.parse(
                "serviceCidr 10.32.0.1/24\nclusterDns 10.32.0.0/24\nclusterCidr 10.200.0.0/16\n"
                        + "clusterCidr 10.200.0.0/16\n", "s"));
        assertTrue(e.getMessage().contains("s:1: expected 'serviceCidr SUBNET'"), e.getMessage());
        assertTrue(e.getMessage().contains("s:2: expected 'clusterDns ADDRESS'"), e.getMessage());
        assertTrue(e.getMessage().contains("s:4: clusterCidr is given twice"), e.getMessage());
    }

    @Test
    void parse_malformedLines_reportsEveryOneWithItsLine() {
        String text = "# comment\nkubernetesVersion 1.33\npodCidr Worker_0 10.200.0.0/24\npodCidr w1 10.200.0.1/24\n"
                + "colour blue\npodCidr w2 10.200.2.0/24\nreleased w2 10.200.3.0/24\n";

        PkiStateException e = assertThrows(PkiStateException.class,
                () -> ClusterState.parse(text, "pki/hardway-cluster.state"));
        assertEquals(PkiStateException.Reason.DAMAGED, e.reason());
        assertEquals(java.nio.file.Path.of("pki/hardway-cluster.state"), e.file());

        String m = e.getMessage();
        assertTrue(m.contains("pki/hardway-cluster.state:2: expected 'kubernetesVersion X.Y.Z'"), m);
        assertTrue(m.contains("pki/hardway-cluster.state:3: expected 'podCidr NODE SUBNET'"), m);
        assertTrue(m.contains("pki/hardway-cluster.state:4: expected 'podCidr NODE SUBNET'"), m); // host bits set
        assertTrue(m.contains("pki/hardway-cluster.state:5: unknown entry 'colour'"), m);
        assertTrue(m.contains("pki/hardway-cluster.state:7: node w2 is listed twice"), m);
        assertTrue(m.contains("nothing was written"), m);
    }

    @Test
    void after_removedWorker_isReleased_andAReusedSubnetIsNoLongerReleased() {
        ResolvedCluster three = load(List.of(ClusterSpecs.W.auto(0), ClusterSpecs.W.auto(1), ClusterSpecs.W.auto(2)));
        ClusterState first = ClusterState.NONE.after(three);
        assertEquals(Map.of("worker-0", "10.200.0.0/24", "worker-1", "10.200.1.0/24", "worker-2", "10.200.2.0/24"),
                first.podCidrs());

        ClusterState second = first.after(load(first, List.of(ClusterSpecs.W.auto(0), ClusterSpecs.W.auto(2))));
        assertEquals(Map.of("worker-1", "10.200.1.0/24"), second.released());

        // a new worker explicitly taking the released subnet ends its release
        ClusterState third = second.after(load(second, List.of(ClusterSpecs.W.auto(0), ClusterSpecs.W.auto(2),
                new ClusterSpecs.W("worker-9", "10.240.0.29", "10.200.1.0/24"))));
        assertEquals(Map.of(), third.released());
        assertEquals("10.200.1.0/24", third.podCidrs().get("worker-9"));
    }

    private static ResolvedCluster load(List<ClusterSpecs.W> workers) {
        return load(ClusterState.NONE, workers);
    }

    private static ResolvedCluster load(ClusterState state, List<ClusterSpecs.W> workers) {
        return new SpecLoader(state.history("hardway-cluster.state"))
                .load(ClusterSpecs.yaml("1.33.2", workers), "cluster.yaml");
    }

    @Test
    void parse_prefixLengthOfManyDigits_isDamage_notAnotherSubnet() {
        // the address library overflows on these: one throws, the other reads as 10.200.0.0/24
        for (String subnet : List.of("10.200.0.0/2147483648", "10.200.0.0/4294967320")) {
            PkiStateException e = assertThrows(PkiStateException.class,
                    () -> ClusterState.parse("podCidr worker-0 " + subnet + "\n", "pki/hardway-cluster.state"));
            assertTrue(e.getMessage().contains("pki/hardway-cluster.state:1: expected 'podCidr NODE SUBNET'"),
                    e.getMessage());
        }
    }

    /** The fast path for subnets written as hardway writes them must agree with the address library on anything. */
    @Test
    void plainIpv4Subnets_areReadAsTheAddressLibraryReadsThem() {
        java.util.Random random = new java.util.Random(7);
        List<String> texts = new java.util.ArrayList<>(List.of("10.200.0.0/24", "0.0.0.0/0", "255.255.255.255/32",
                "10.200.0.1/24", "10.200.0.0/33", "10.200.0.0/", "10.200.0/24", "10.200.0.0", "010.200.0.0/24",
                "10.200.0.0/024", "10.200.0.0/08", "256.0.0.0/8", "1.2.3.4.5/8", "10.200.0.0/24 ", " 10.200.0.0/24",
                "10.200.0.0/24/1", "1000.0.0.0/8", "10.200.0.0/-1", "10..0.0/24", "fd00::/64", "10.0.0.0/8",
                "10.0.0.0/255.0.0.0", "0x0a.0.0.0/8", "10.0.0.0/+8", "", "/", "1.2.3.4/32", "1.2.3.4/31"));
        for (int i = 0; i < 2000; i++) {
            int prefix = random.nextInt(34);
            long address = random.nextLong() & 0xffffffffL;
            if (random.nextBoolean() && prefix <= 32) {
                address &= prefix == 0 ? 0 : 0xffffffffL << (32 - prefix) & 0xffffffffL;
            }
            texts.add((address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "."
                    + (address & 255) + "/" + prefix);
        }
        for (String text : texts) {
            inet.ipaddr.IPAddress a = new inet.ipaddr.IPAddressString(text).getAddress();
            boolean isCidr = a != null && a.isPrefixed() && a.equals(a.toPrefixBlock());
            int fast = ClusterState.plainIpv4Prefix(text);
            if (fast == -1) {
                assertTrue(!isCidr, text);
            } else if (fast >= 0) {
                assertTrue(isCidr, text);
                assertEquals(a.getLower().withoutPrefixLength().toCanonicalString() + "/"
                        + a.getNetworkPrefixLength(), text, text);
                assertEquals(a.getNetworkPrefixLength(), fast, text);
            }
            if (text.isEmpty() || !text.strip().equals(text)) {
                continue; // the line is split on white space: not one word
            }
            String line = "podCidr w " + text;
            boolean parses;
            try {
                ClusterState.parse(line, "state");
                parses = true;
            } catch (PkiStateException e) {
                parses = false;
            }
            assertEquals(isCidr, parses, text);
        }
    }
}
