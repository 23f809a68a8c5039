package dev.hardway.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Generated specs: valid ones survive YAML and the builder unchanged, and no mutation of a file makes the loader
 * fail with anything but {@link InvalidSpecException}.
 */
class SpecPropertiesTest {

    @Provide
    Arbitrary<ClusterSpec> validSpecs() {
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
                .ofMinLength(1).ofMaxLength(63)
                .filter(s -> !s.startsWith("-") && !s.endsWith("-"));
        Arbitrary<String> version = Combinators.combine(Arbitraries.integers().between(32, 36),
                Arbitraries.integers().between(0, 20)).as((minor, patch) -> "1." + minor + "." + patch);
        Arbitrary<String> host = Arbitraries.oneOf(label.map(l -> l + ".example.com"),
                Arbitraries.integers().between(1, 254).map(i -> "203.0.113." + i));
        Arbitrary<String> endpoint = Combinators.combine(host, Arbitraries.integers().between(1, 65535).injectNull(0.3))
                .as((h, port) -> "https://" + h + (port == null ? "" : ":" + port));
        Arbitrary<List<String>> sans = Arbitraries.oneOf(label.map(l -> l + ".example.org"),
                label.map(l -> "*." + l + ".example.net"),
                Arbitraries.integers().between(1, 254).map(i -> "198.51.100." + i)).list().ofMaxSize(4).uniqueElements();
        Arbitrary<Integer> controllers = Arbitraries.of(1, 3, 5, 7);
        // workers (0 to 6), which controllers are Nodes (none, all, a mask of them), and the kube-proxy mode
        Arbitrary<int[]> workers = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 127),
                Arbitraries.integers().between(0, 3)).as((w, stacked, mask, mode) -> new int[] {w, stacked, mask, mode});
        Arbitrary<PkiSpec> pki = Combinators.combine(Arbitraries.of("RSA", "ECDSA").injectNull(0.3),
                Arbitraries.integers().between(400, 36500).injectNull(0.3),
                Arbitraries.integers().between(40, 400).injectNull(0.3),
                Arbitraries.integers().between(0, 39).injectNull(0.3)).as(PkiSpec::new).injectNull(0.3);
        Arbitrary<KubeletSpec> kubelet = Combinators.combine(
                Arbitraries.of("/etc/resolv.conf", "/run/systemd/resolve/resolv.conf", "/etc/résolv \"odd\".conf")
                        .injectNull(0.3),
                Arbitraries.integers().between(1, 253).injectNull(0.3)).as(KubeletSpec::new).injectNull(0.3);
        return Combinators.combine(label, version, endpoint, sans, controllers, workers, pki, kubelet)
                .as((name, v, url, extra, c, topology, p, k) -> {
                    int w = topology[0];
                    int mask = topology[2] & ((1 << c) - 1);
                    int stacked = w == 0 && (topology[1] == 0 || mask == 0) ? 1 : topology[1];
                    String mode = new String[] {null, "iptables", "nftables", "ipvs"}[topology[3]];
                    if ("nftables".equals(mode) && Version.parse(v).orElseThrow().minor() < 33) {
                        mode = "iptables";
                    }
                    ClusterSpec.Builder b = ClusterSpec.builder().name(name).kubernetesVersion(v)
                            .apiServer(a -> a.endpoint(url).extraSans(extra.toArray(String[]::new)))
                            .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24")
                                    .clusterDns("10.32.0.10").clusterDomain("cluster.local"))
                            .pki(p).kubelet(k)
                            .controlPlane(stacked == 1 ? new ControlPlaneSpec(true, null) : null)
                            .kubeProxy(mode == null ? null : new KubeProxySpec(mode, null));
                    for (int i = 0; i < c; i++) {
                        int n = i;
                        boolean node = stacked == 1 || (stacked == 2 && (mask & (1 << n)) != 0);
                        b.controller(x -> {
                            x.name("controller-" + n).internalIp("10.240.0." + (10 + n));
                            if (stacked == 2) {
                                x.enableWorker(node);
                            }
                            if (node && n % 2 == 1) {
                                x.label("example.com/rack", "r" + n);
                            }
                        });
                    }
                    for (int i = 0; i < w; i++) {
                        int n = i;
                        b.worker(x -> x.name("worker-" + n).internalIp("10.240.1." + (20 + n))
                                .podCidr(n % 2 == 1 ? "10.200." + (100 + n) + ".0/24" : null));
                    }
                    return b.build();
                });
    }

    @Property(tries = 200)
    void validSpec_throughYaml_loadsAsTheSameCluster(@ForAll("validSpecs") ClusterSpec spec) {
        ResolvedCluster built = ResolvedCluster.resolve(spec);
        String yaml = SpecWriter.toYaml(spec);
        ResolvedCluster loaded = new SpecLoader().load(yaml, "cluster.yaml");
        assertEquals(spec, loaded.spec(), yaml);
        assertEquals(built, loaded, yaml);
    }

    @Property(tries = 200)
    void explicitSpec_hasEveryDefault_andResolvesToTheSameCluster(@ForAll("validSpecs") ClusterSpec spec) {
        ResolvedCluster resolved = ResolvedCluster.resolve(spec);
        ClusterSpec explicit = resolved.explicitSpec();
        ResolvedCluster again = new SpecLoader().load(SpecWriter.toYaml(explicit), "explained.yaml");
        assertEquals(explicit, again.explicitSpec());
        assertEquals(resolved.workers(), again.workers(), "allocated subnets written out stay the same");
        assertEquals(resolved.controllers(), again.controllers(), "so do the controllers' that are Nodes");
        assertEquals(List.of(), SpecSchemaTest.schemaErrors(SpecWriter.toYaml(explicit)));
    }

    @Provide
    Arbitrary<String> mutatedSpecs() {
        String valid = SpecLoaderTest.VALID + "pki:\n  validityDays: 365\nkubelet:\n  maxPods: 110\n";
        Arbitrary<String> insertion = Arbitraries.oneOf(
                Arbitraries.of(":", "-", " ", "\n", "\t", "[", "]", "{", "}", "&a", "*a", "!!int", "'", "\"", "#",
                        "---\n", "<<: ", "? ", "|", ">", "%", "@", "`", "\u0000", "\u0085", "\u2028", "\uFEFF",
                        "é", "\uD83D\uDE00", "\uD800", "99999999999999999999", "1.5", "-1", "0x10", "~", "null"),
                Arbitraries.strings().ofMaxLength(6));
        return Combinators.combine(Arbitraries.integers().between(0, valid.length()), insertion,
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 5))
                .as((at, text, cut, kind) -> switch (kind) {
                    case 0 -> valid.substring(0, at) + text + valid.substring(at);
                    case 1 -> valid.substring(0, at) + valid.substring(Math.min(valid.length(), at + cut));
                    case 2 -> valid.substring(0, at);
                    case 3 -> swapLines(valid, at);
                    case 4 -> valid.substring(0, at) + text + valid.substring(Math.min(valid.length(), at + cut));
                    default -> duplicateLine(valid, at);
                });
    }

    private static String swapLines(String text, int seed) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int i = seed % lines.size();
        int j = (seed / 7) % lines.size();
        String t = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, t);
        return String.join("\n", lines) + "\n";
    }

    private static String duplicateLine(String text, int seed) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int i = seed % lines.size();
        lines.add(i, lines.get(i));
        return String.join("\n", lines) + "\n";
    }

    @Property(tries = 1500)
    void mutatedSpec_isLoadedOrRejectedCleanly_neverAnythingElse(@ForAll("mutatedSpecs") String yaml) {
        try {
            new SpecLoader().load(yaml, "cluster.yaml");
        } catch (InvalidSpecException e) {
            assertFalse(BadSpecCorpusTest.leaksInternals(e.getMessage(), yaml), e.getMessage());
            assertFalse(e.problems().isEmpty());
        }
    }

    @Property(tries = 300)
    void randomBytes_areLoadedOrRejectedCleanly(@ForAll byte[] bytes, @ForAll @IntRange(max = 40) int at) {
        byte[] valid = SpecLoaderTest.VALID.getBytes(StandardCharsets.UTF_8);
        byte[] mixed = new byte[valid.length + bytes.length];
        int cut = Math.min(at * 10, valid.length);
        System.arraycopy(valid, 0, mixed, 0, cut);
        System.arraycopy(bytes, 0, mixed, cut, bytes.length);
        System.arraycopy(valid, cut, mixed, cut + bytes.length, valid.length - cut);
        try {
            new SpecLoader().load(mixed, "cluster.yaml");
        } catch (InvalidSpecException e) {
            // Latin-1 keeps one char per byte, so every byte sequence of the input can be found in it.
            assertFalse(BadSpecCorpusTest.leaksInternals(e.getMessage(),
                    new String(mixed, StandardCharsets.UTF_8) + new String(mixed, StandardCharsets.ISO_8859_1)),
                    e.getMessage());
        }
    }
}
