package dev.hardway.model;

import inet.ipaddr.IPAddress;
import org.apache.commons.text.similarity.LevenshteinDistance;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a {@link ClusterSpec} and resolves it into a {@link ResolvedCluster}. Every problem is collected before
 * anything is reported, so a user fixes a spec in one round trip.
 */
public final class SpecValidator {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final int DEFAULT_CA_DAYS = 3650;
    private static final int DEFAULT_LEAF_DAYS = 365;
    private static final int DEFAULT_RENEW_BEFORE_DAYS = 30;
    private static final int DEFAULT_POD_PREFIX = 24;
    private static final int DEFAULT_MAX_PODS = 110;
    private static final String DEFAULT_RESOLV_CONF = "/run/systemd/resolve/resolv.conf";

    /** Every problem of {@code spec}; empty when it is valid. */
    public List<Problem> problems(ClusterSpec spec) {
        Check check = new Check(spec);
        check.run();
        return check.problems;
    }

    /**
     * Resolves a valid spec, or throws {@link InvalidSpecException} with every problem.
     *
     * @param source the file name used in messages, or {@code null} for a spec built in Java
     */
    public ResolvedCluster resolve(ClusterSpec spec, String source) {
        Check check = new Check(spec);
        check.run();
        if (!check.problems.isEmpty()) {
            throw new InvalidSpecException(source, check.problems);
        }
        return check.resolved();
    }

    static boolean isDnsLabel(String s) {
        return s != null && DNS_LABEL.matcher(s).matches();
    }

    static boolean isDnsSubdomain(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!isDnsLabel(label)) {
                return false;
            }
        }
        return true;
    }

    /** The closest of {@code known} to {@code word}, if it is close enough to be a likely typo. */
    public static Optional<String> closest(String word, Collection<String> known) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance.apply(word.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    /** One validation run; fields hold what has parsed so far so later checks can build on it. */
    private static final class Check {
        private final ClusterSpec spec;
        private final List<Problem> problems = new ArrayList<>();

        private Version version;
        private KubernetesRelease release;
        private URI endpoint;
        private IPAddress clusterCidr;
        private IPAddress serviceCidr;
        private IPAddress clusterDns;
        private List<Optional<IPAddress>> podCidrs = List.of();
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.RSA_2048;
        private Version containerd;

        Check(ClusterSpec spec) {
            this.spec = spec;
        }

        private void problem(String path, String message) {
            problems.add(Problem.at(path, message));
        }

        private boolean required(String path, Object value) {
            if (value == null || (value instanceof String s && s.isBlank())) {
                problem(path, "is required");
                return false;
            }
            return true;
        }

        void run() {
            if (spec == null) {
                problem("", "the spec is empty");
                return;
            }
            if (required("name", spec.name()) && !isDnsLabel(spec.name())) {
                problem("name", "'" + spec.name() + "' is not a DNS-1123 label (lower-case letters, digits and "
                        + "'-', starting and ending with a letter or digit, at most 63 characters)");
            }
            kubernetesVersion();
            apiServer();
            network();
            nodes();
            podCidrs();
            pki();
            containerd();
            kubelet();
            binaries();
        }

        private void kubernetesVersion() {
            if (!required("kubernetesVersion", spec.kubernetesVersion())) {
                return;
            }
            Optional<Version> parsed = Version.parse(spec.kubernetesVersion());
            if (parsed.isEmpty()) {
                problem("kubernetesVersion", "'" + spec.kubernetesVersion()
                        + "' is not a release number such as 1.32.3");
                return;
            }
            version = parsed.get();
            release = KubernetesRelease.of(version).orElse(null);
            if (release == null) {
                problem("kubernetesVersion", version + " is not supported; hardway generates for Kubernetes "
                        + KubernetesRelease.supportedRange());
            }
        }

        private void apiServer() {
            if (!required("apiServer", spec.apiServer())) {
                return;
            }
            String text = spec.apiServer().endpoint();
            if (required("apiServer.endpoint", text)) {
                try {
                    URI uri = new URI(text.trim());
                    if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                        problem("apiServer.endpoint", "'" + text + "' must be an https URL with a host, such as "
                                + "https://server.kubernetes.local:6443");
                    } else if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                        problem("apiServer.endpoint", "'" + text + "' must not have a path");
                    } else if (!isDnsSubdomain(hostOf(uri)) && Addresses.ip(hostOf(uri)).isEmpty()) {
                        problem("apiServer.endpoint", "'" + hostOf(uri) + "' is neither a DNS name nor an IP address");
                    } else {
                        endpoint = uri;
                    }
                } catch (URISyntaxException e) {
                    problem("apiServer.endpoint", "'" + text + "' is not a URL: " + e.getReason());
                }
            }
            String address = spec.apiServer().address();
            if (address != null) {
                if (Addresses.ip(address).isEmpty()) {
                    problem("apiServer.address", "'" + address + "' is not an IP address");
                } else if (endpoint != null && Addresses.ip(hostOf(endpoint)).isPresent()) {
                    problem("apiServer.address", "apiServer.endpoint names the address " + hostOf(endpoint)
                            + " itself; an /etc/hosts entry is for a host name, so remove apiServer.address");
                }
            }
            List<String> sans = spec.apiServer().extraSans();
            for (int i = 0; i < sans.size(); i++) {
                String san = sans.get(i);
                String path = "apiServer.extraSans[" + i + "]";
                if (required(path, san) && !isDnsSubdomain(san) && Addresses.ip(san).isEmpty()) {
                    problem(path, "'" + san + "' is neither a DNS name nor an IP address");
                }
            }
        }

        private static String hostOf(URI uri) {
            String host = uri.getHost();
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }

        private void network() {
            NetworkSpec n = spec.network();
            if (!required("network", n)) {
                return;
            }
            clusterCidr = cidr("network.clusterCidr", n.clusterCidr());
            serviceCidr = cidr("network.serviceCidr", n.serviceCidr());
            if (clusterCidr != null && serviceCidr != null) {
                if (clusterCidr.isIPv4() != serviceCidr.isIPv4()) {
                    problem("network.serviceCidr", "is " + family(serviceCidr) + " but network.clusterCidr is "
                            + family(clusterCidr) + "; hardway builds single-stack clusters");
                } else if (clusterCidr.overlaps(serviceCidr)) {
                    problem("network.serviceCidr", serviceCidr + " overlaps network.clusterCidr " + clusterCidr
                            + "; pod and service addresses must be disjoint");
                }
            }
            if (required("network.clusterDns", n.clusterDns())) {
                clusterDns = Addresses.ip(n.clusterDns()).orElse(null);
                if (clusterDns == null) {
                    problem("network.clusterDns", "'" + n.clusterDns() + "' is not an IP address");
                } else if (serviceCidr != null) {
                    if (!serviceCidr.contains(clusterDns)) {
                        problem("network.clusterDns", clusterDns + " is not inside network.serviceCidr " + serviceCidr);
                    } else if (clusterDns.equals(serviceCidr.getLower().withoutPrefixLength())) {
                        problem("network.clusterDns", clusterDns + " is the network address of network.serviceCidr");
                    } else if (clusterDns.equals(firstServiceIp())) {
                        problem("network.clusterDns", clusterDns + " is the first address of network.serviceCidr, "
                                + "which belongs to the kubernetes service; use another, such as "
                                + serviceCidr.getLower().increment(10).withoutPrefixLength());
                    }
                }
            }
            if (required("network.clusterDomain", n.clusterDomain()) && !isDnsSubdomain(n.clusterDomain())) {
                problem("network.clusterDomain", "'" + n.clusterDomain() + "' is not a DNS-1123 subdomain");
            }
            Integer prefix = n.podCidrPrefixLength();
            if (prefix != null && clusterCidr != null) {
                int max = clusterCidr.isIPv4() ? 30 : 126;
                if (prefix < clusterCidr.getNetworkPrefixLength() || prefix > max) {
                    problem("network.podCidrPrefixLength", prefix + " must be between the clusterCidr prefix ("
                            + clusterCidr.getNetworkPrefixLength() + ") and " + max);
                }
            }
        }

        private IPAddress firstServiceIp() {
            return serviceCidr.getLower().increment(1).withoutPrefixLength();
        }

        private static String family(IPAddress a) {
            return a.isIPv4() ? "IPv4" : "IPv6";
        }

        private IPAddress cidr(String path, String text) {
            if (!required(path, text)) {
                return null;
            }
            Optional<IPAddress> parsed = Addresses.cidr(text);
            if (parsed.isEmpty()) {
                problem(path, "'" + text + "' is not a CIDR block such as 10.200.0.0/16");
                return null;
            }
            IPAddress a = parsed.get();
            if (Addresses.hasHostBits(a)) {
                problem(path, "'" + text + "' has host bits set; did you mean " + a.toPrefixBlock() + "?");
                return null;
            }
            return a.toPrefixBlock();
        }

        private void nodes() {
            Map<String, String> names = new HashMap<>();
            Map<IPAddress, String> ips = new HashMap<>();
            List<ControllerSpec> controllers = spec.controllers();
            if (controllers == null || controllers.isEmpty()) {
                problem("controllers", "at least one controller is required");
            } else if (controllers.size() % 2 == 0) {
                problem("controllers", controllers.size() + " controllers form an etcd cluster that tolerates no "
                        + "more failures than " + (controllers.size() - 1) + "; use an odd number");
            }
            if (spec.workers() == null || spec.workers().isEmpty()) {
                problem("workers", "at least one worker is required");
            }
            List<NodeSpec> all = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            if (controllers != null) {
                for (int i = 0; i < controllers.size(); i++) {
                    all.add(controllers.get(i));
                    paths.add("controllers[" + i + "]");
                }
            }
            if (spec.workers() != null) {
                for (int i = 0; i < spec.workers().size(); i++) {
                    all.add(spec.workers().get(i));
                    paths.add("workers[" + i + "]");
                }
            }
            for (int i = 0; i < all.size(); i++) {
                NodeSpec node = all.get(i);
                String path = paths.get(i);
                if (node == null) {
                    problem(path, "is empty");
                    continue;
                }
                if (required(path + ".name", node.name())) {
                    if (!isDnsLabel(node.name())) {
                        problem(path + ".name", "'" + node.name() + "' is not a DNS-1123 label");
                    } else if (names.containsKey(node.name())) {
                        problem(path + ".name", "'" + node.name() + "' is already the name of " + names.get(node.name()));
                    } else {
                        names.put(node.name(), path);
                    }
                }
                if (!required(path + ".internalIp", node.internalIp())) {
                    continue;
                }
                Optional<IPAddress> ip = Addresses.ip(node.internalIp());
                if (ip.isEmpty()) {
                    problem(path + ".internalIp", "'" + node.internalIp() + "' is not an IP address");
                    continue;
                }
                IPAddress a = ip.get();
                if (ips.containsKey(a)) {
                    problem(path + ".internalIp", a + " is already the address of " + ips.get(a));
                } else {
                    ips.put(a, path);
                }
                if (serviceCidr != null && serviceCidr.contains(a)) {
                    problem(path + ".internalIp", a + " is inside network.serviceCidr " + serviceCidr
                            + "; node and service addresses must be disjoint");
                }
                if (clusterCidr != null && clusterCidr.contains(a)) {
                    problem(path + ".internalIp", a + " is inside network.clusterCidr " + clusterCidr
                            + "; node and pod addresses must be disjoint");
                }
                if (clusterCidr != null && clusterCidr.isIPv4() != a.isIPv4()) {
                    problem(path + ".internalIp", a + " is " + family(a) + " but the cluster is " + family(clusterCidr));
                }
            }
        }

        private void podCidrs() {
            List<WorkerSpec> workers = spec.workers();
            if (workers == null || clusterCidr == null) {
                return;
            }
            List<IPAddress> requested = new ArrayList<>();
            boolean usable = true;
            for (int i = 0; i < workers.size(); i++) {
                WorkerSpec w = workers.get(i);
                String path = "workers[" + i + "].podCidr";
                if (w == null || w.podCidr() == null) {
                    requested.add(null);
                    continue;
                }
                IPAddress c = cidr(path, w.podCidr());
                if (c == null) {
                    usable = false;
                    requested.add(null);
                } else if (!clusterCidr.contains(c)) {
                    problem(path, c + " is not inside network.clusterCidr " + clusterCidr);
                    usable = false;
                    requested.add(null);
                } else {
                    requested.add(c);
                }
            }
            int prefix = podPrefix();
            if (prefix < clusterCidr.getNetworkPrefixLength()) {
                return;
            }
            List<Optional<IPAddress>> allocated = new PodCidrAllocator(clusterCidr, prefix).allocate(requested);
            for (int i = 0; i < allocated.size(); i++) {
                if (allocated.get(i).isEmpty()) {
                    problem("workers[" + i + "].podCidr", "network.clusterCidr " + clusterCidr
                            + " has no free /" + prefix + " left for this worker; set podCidr or widen clusterCidr");
                    usable = false;
                    continue;
                }
                IPAddress mine = allocated.get(i).get();
                for (int j = 0; j < i; j++) {
                    Optional<IPAddress> earlier = allocated.get(j);
                    if (earlier.isPresent() && earlier.get().overlaps(mine)) {
                        String how = requested.get(j) == null ? "allocated to" : "of";
                        problem("workers[" + i + "].podCidr", mine + " overlaps " + earlier.get() + ", the podCidr "
                                + how + " workers[" + j + "]" + (requested.get(j) == null
                                ? " (automatic subnets of earlier workers never move; pick another)" : ""));
                        usable = false;
                    }
                }
            }
            if (usable) {
                podCidrs = allocated;
            }
        }

        private int podPrefix() {
            Integer p = spec.network() == null ? null : spec.network().podCidrPrefixLength();
            if (p != null) {
                return p;
            }
            return clusterCidr.isIPv4() ? Math.max(DEFAULT_POD_PREFIX, clusterCidr.getNetworkPrefixLength())
                    : Math.max(64, clusterCidr.getNetworkPrefixLength());
        }

        private void pki() {
            PkiSpec p = spec.pki();
            if (p == null) {
                return;
            }
            Optional<KeyAlgorithm> alg = KeyAlgorithm.fromSpec(p.keyAlgorithm());
            if (alg.isEmpty()) {
                problem("pki.keyAlgorithm", "'" + p.keyAlgorithm() + "' is not one of RSA, ECDSA");
            } else {
                keyAlgorithm = alg.get();
            }
            positive("pki.caValidityDays", p.caValidityDays());
            positive("pki.validityDays", p.validityDays());
            if (p.renewBeforeDays() != null && p.renewBeforeDays() < 0) {
                problem("pki.renewBeforeDays", p.renewBeforeDays() + " must not be negative");
            }
            int leaf = orDefault(p.validityDays(), DEFAULT_LEAF_DAYS);
            int renew = orDefault(p.renewBeforeDays(), DEFAULT_RENEW_BEFORE_DAYS);
            if (leaf > 0 && renew >= leaf) {
                problem("pki.renewBeforeDays", renew + " days is not shorter than the " + leaf
                        + "-day certificate validity; every run would re-issue every certificate");
            }
            int ca = orDefault(p.caValidityDays(), DEFAULT_CA_DAYS);
            if (ca > 0 && leaf > ca) {
                problem("pki.validityDays", leaf + " days exceeds the CA's " + ca + " days");
            }
        }

        private void positive(String path, Integer value) {
            if (value != null && value <= 0) {
                problem(path, value + " must be a positive number of days");
            }
        }

        private void containerd() {
            String text = spec.containerd() == null ? null : spec.containerd().version();
            if (text == null) {
                containerd = release == null ? null : release.defaultContainerd();
                return;
            }
            Optional<Version> parsed = Version.parse(text);
            if (parsed.isEmpty()) {
                problem("containerd.version", "'" + text + "' is not a release number such as 2.1.4");
                return;
            }
            containerd = parsed.get();
            if (release != null && !release.supportsContainerd(containerd)) {
                problem("containerd.version", "containerd " + containerd + " is not supported with Kubernetes "
                        + version.minorLine() + "; use 2.x" + (release.minor() <= 35 ? " or 1.7.x" : "")
                        + " (default " + release.defaultContainerd() + ")");
            }
        }

        private void binaries() {
            BinariesSpec b = spec.binaries();
            if (b == null) {
                return;
            }
            if (b.arch() != null && !b.arch().equals("amd64") && !b.arch().equals("arm64")) {
                problem("binaries.arch", "'" + b.arch() + "' is not amd64 or arm64");
            }
            b.sha256().forEach((name, sum) -> {
                if (sum == null || !sum.matches("[0-9a-f]{64}")) {
                    problem("binaries.sha256." + name, "'" + sum + "' is not a SHA-256 checksum (64 lowercase hex "
                            + "digits)");
                }
            });
        }

        private void kubelet() {
            KubeletSpec k = spec.kubelet();
            if (k == null) {
                return;
            }
            if (k.resolvConf() != null && !k.resolvConf().startsWith("/")) {
                problem("kubelet.resolvConf", "'" + k.resolvConf() + "' must be an absolute path");
            }
            if (k.maxPods() != null && (k.maxPods() < 1 || k.maxPods() > 10000)) {
                problem("kubelet.maxPods", k.maxPods() + " must be between 1 and 10000");
            }
        }

        private static int orDefault(Integer value, int fallback) {
            return value == null ? fallback : value;
        }

        ResolvedCluster resolved() {
            PkiSpec p = spec.pki() == null ? new PkiSpec(null, null, null, null) : spec.pki();
            KubeletSpec k = spec.kubelet() == null ? new KubeletSpec(null, null) : spec.kubelet();
            List<ResolvedCluster.Node> controllers = spec.controllers().stream()
                    .map(c -> new ResolvedCluster.Node(c.name(), canonicalIp(c.internalIp()))).toList();
            List<ResolvedCluster.Worker> workers = new ArrayList<>();
            for (int i = 0; i < spec.workers().size(); i++) {
                WorkerSpec w = spec.workers().get(i);
                workers.add(new ResolvedCluster.Worker(w.name(), canonicalIp(w.internalIp()),
                        Addresses.text(podCidrs.get(i).orElseThrow())));
            }
            Function<IPAddress, String> text = Addresses::text;
            return new ResolvedCluster(spec, spec.name(), version, release, endpoint.toString(), hostOf(endpoint),
                    endpoint.getPort() == -1 ? 443 : endpoint.getPort(), spec.apiServer().extraSans(),
                    text.apply(clusterCidr), text.apply(serviceCidr), text.apply(firstServiceIp()),
                    text.apply(clusterDns), spec.network().clusterDomain(), controllers, workers, keyAlgorithm,
                    orDefault(p.caValidityDays(), DEFAULT_CA_DAYS), orDefault(p.validityDays(), DEFAULT_LEAF_DAYS),
                    orDefault(p.renewBeforeDays(), DEFAULT_RENEW_BEFORE_DAYS), containerd,
                    k.resolvConf() == null ? DEFAULT_RESOLV_CONF : k.resolvConf(),
                    orDefault(k.maxPods(), DEFAULT_MAX_PODS));
        }

        private static String canonicalIp(String text) {
            return Addresses.text(Addresses.ip(text).orElseThrow());
        }
    }
}
