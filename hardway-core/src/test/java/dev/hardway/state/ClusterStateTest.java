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
}
