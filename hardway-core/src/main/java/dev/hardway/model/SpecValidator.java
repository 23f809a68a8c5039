package dev.hardway.model;

import inet.ipaddr.IPAddress;
import org.apache.commons.text.similarity.LevenshteinDistance;

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

    private final ClusterHistory history;

    /** A validator for a cluster generated for the first time. */
    public SpecValidator() {
        this(ClusterHistory.NONE);
    }

    /** A validator that keeps what earlier generations decided: pod subnets, and the release upgraded from. */
    public SpecValidator(ClusterHistory history) {
        this.history = java.util.Objects.requireNonNull(history, "history");
    }

    /** Every problem of {@code spec}; empty when it is valid. */
    public List<Problem> problems(ClusterSpec spec) {
        Check check = new Check(spec, history);
        check.run();
        return check.problems;
    }

    /**
     * Resolves a valid spec, or throws {@link InvalidSpecException} with every problem.
     *
     * @param source the file name used in messages, or {@code null} for a spec built in Java
     */
    public ResolvedCluster resolve(ClusterSpec spec, String source) {
        Check check = new Check(spec, history);
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
        private final ClusterHistory history;
        private final List<Problem> problems = new ArrayList<>();

        private Version version;
        private KubernetesRelease release;
        private String endpointHost;
        private int endpointPort;
        private final java.util.Set<String> outOfRange = new java.util.HashSet<>();
        private IPAddress clusterCidr;
        private IPAddress serviceCidr;
        private IPAddress clusterDns;
        private List<Optional<IPAddress>> podCidrs = List.of();
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.RSA_2048;
        private Version containerd;

        Check(ClusterSpec spec, ClusterHistory history) {
            this.spec = spec;
            this.history = history;
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
            fields("", spec);
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

        /** What every field's {@link SpecField} says: ranges, list sizes, and no control characters in text. */
        private void fields(String path, Record section) {
            for (ModelField f : ModelField.of(section.getClass())) {
                Object value = f.valueOf(section);
                String p = path.isEmpty() ? f.name() : path + "." + f.name();
                if (value == null) {
                    continue;
                }
                switch (f.kind()) {
                    case STRING -> plainText(p, (String) value);
                    case INTEGER -> {
                        long v = (Integer) value;
                        if ((f.hasMinimum() && v < f.doc().minimum()) || (f.hasMaximum() && v > f.doc().maximum())) {
                            problem(p, v + " is out of range; it must be " + f.range());
                            outOfRange.add(p);
                        }
                    }
                    case SECTION -> fields(p, (Record) value);
                    case STRING_LIST, SECTION_LIST -> {
                        List<?> items = (List<?>) value;
                        if (f.hasMaximum() && items.size() > f.doc().maximum()) {
                            problem(p, items.size() + " entries are more than hardway supports (" + f.range() + ")");
                        }
                        for (int i = 0; i < items.size(); i++) {
                            Object item = items.get(i);
                            if (item instanceof String text) {
                                plainText(p + "[" + i + "]", text);
                            } else if (item instanceof Record r) {
                                fields(p + "[" + i + "]", r);
                            }
                        }
                    }
                }
            }
        }

        /** Values are written into unit files, YAML and kubeconfigs as they are: one line of printable text. */
        private void plainText(String path, String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                    problem(path, String.format(java.util.Locale.ROOT, "contains %s (U+%04X at character %d); "
                            + "values are written into configuration files as they are, so they must be one "
                            + "line of printable text", c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029
                            ? "a line break" : c == '\t' ? "a tab" : "a control character", (int) c, i + 1));
                    return;
                }
            }
        }

        private boolean inRange(String path) {
            return !outOfRange.contains(path);
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
            } else {
                history.lastVersion().ifPresent(this::upgradeStep);
            }
        }

        /** Kubernetes upgrades one minor release at a time and never downgrades one (the version skew policy). */
        private void upgradeStep(Version last) {
            String recorded = " (recorded in " + history.source() + ")";
            if (version.major() == last.major() && version.minor() > last.minor() + 1) {
                problem("kubernetesVersion", version + " skips Kubernetes " + last.major() + "." + (last.minor() + 1)
                        + ": this cluster was last generated for " + last + recorded + ", and Kubernetes upgrades "
                        + "one minor release at a time; set " + last.major() + "." + (last.minor() + 1) + ".x, "
                        + "install it on every node, then go on to " + version.minorLine());
            } else if (version.major() != last.major() || version.minor() < last.minor()) {
                problem("kubernetesVersion", version + " is older than " + last + ", the release this cluster was "
                        + "last generated for" + recorded + "; Kubernetes does not downgrade a minor release: keep "
                        + last.minorLine() + ".x or upgrade to " + last.major() + "." + (last.minor() + 1) + ".x. "
                        + "Restoring the whole cluster from a " + version.minorLine() + " backup is the one exception: "
                        + "then edit the kubernetesVersion line of that file");
            }
        }

        private void apiServer() {
            if (!required("apiServer", spec.apiServer())) {
                return;
            }
            String text = spec.apiServer().endpoint();
            if (required("apiServer.endpoint", text)) {
                endpoint(text);
            }
            String address = spec.apiServer().address();
            if (address != null) {
                if (Addresses.ip(address).isEmpty()) {
                    problem("apiServer.address", "'" + address + "' is not an IP address");
                } else if (endpointHost != null && Addresses.ip(endpointHost).isPresent()) {
                    problem("apiServer.address", "apiServer.endpoint names the address " + endpointHost
                            + " itself; an /etc/hosts entry is for a host name, so remove apiServer.address");
                }
            }
            List<String> sans = spec.apiServer().extraSans();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < sans.size(); i++) {
                String san = sans.get(i);
                String path = "apiServer.extraSans[" + i + "]";
                if (!required(path, san)) {
                    continue;
                }
                String key = san;
                if (looksLikeAddress(san)) {
                    Optional<IPAddress> a = address(path, san);
                    if (a.isEmpty()) {
                        continue;
                    }
                    key = Addresses.text(a.get());
                } else if (san.startsWith("*.")) {
                    String base = san.substring(2);
                    if (!isDnsSubdomain(base) || !base.contains(".")) {
                        problem(path, "'" + san + "' is not a wildcard DNS name: '*.' must be followed by a DNS name "
                                + "of two or more labels, such as *.apps.example.com");
                        continue;
                    }
                } else if (!isDnsSubdomain(san)) {
                    problem(path, "'" + san + "' is neither a DNS name (lower-case labels of letters, digits and "
                            + "'-'; '*.' allowed as a prefix) nor an IP address");
                    continue;
                }
                if (seen.containsKey(key)) {
                    problem(path, "'" + san + "' is already listed as " + seen.get(key));
                } else {
                    seen.put(key, path);
                }
            }
        }

        /** An https URL of a host and a port, nothing else: it is copied into every kubeconfig and the golden files. */
        private void endpoint(String text) {
            String path = "apiServer.endpoint";
            String example = "such as https://server.kubernetes.local:6443";
            if (!text.startsWith("https://")) {
                problem(path, "'" + redacted(text) + "' is not an https URL " + example
                        + (text.matches("[A-Za-z][A-Za-z0-9+.-]*://.*") ? "; the API server serves only https" : ""));
                return;
            }
            String rest = text.substring("https://".length());
            int cut = indexOfAny(rest, "/?#");
            String authority = cut < 0 ? rest : rest.substring(0, cut);
            String tail = cut < 0 ? "" : rest.substring(cut);
            if (authority.contains("@")) {
                problem(path, "'" + redacted(text) + "' carries credentials before the host; they would be copied "
                        + "into every kubeconfig and the golden snapshot. Remove them: each client has its own "
                        + "certificate");
                return;
            }
            if (!tail.isEmpty()) {
                String what = tail.startsWith("?") ? "a query" : tail.startsWith("#") ? "a fragment" : "a path";
                problem(path, "'" + text + "' has " + what + " ('" + tail + "'); the endpoint is the host and port "
                        + "only, " + example);
                return;
            }
            String host;
            String port = null;
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) {
                    problem(path, "'" + text + "' opens an IPv6 address with '[' but does not close it");
                    return;
                }
                host = authority.substring(1, close);
                String after = authority.substring(close + 1);
                if (!after.isEmpty() && !after.startsWith(":")) {
                    problem(path, "'" + text + "' has '" + after + "' after the host; expected ':' and a port");
                    return;
                }
                port = after.isEmpty() ? null : after.substring(1);
                if (Addresses.ip(host).filter(IPAddress::isIPv6).isEmpty()) {
                    problem(path, "'" + host + "' in brackets is not an IPv6 address in RFC 5952 form");
                    return;
                }
            } else {
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                port = colon < 0 ? null : authority.substring(colon + 1);
                if (host.isEmpty()) {
                    problem(path, "'" + text + "' has no host, " + example);
                    return;
                }
                if (host.contains(":")) {
                    problem(path, "'" + text + "': an IPv6 host goes in brackets, such as https://[fd00::10]:6443");
                    return;
                }
                if (looksLikeAddress(host)) {
                    if (Addresses.ip(host).isEmpty()) {
                        problem(path, "'" + host + "' is not an IPv4 address in dotted-quad form (four decimal "
                                + "numbers without leading zeros)");
                        return;
                    }
                } else if (!isDnsSubdomain(host)) {
                    problem(path, "'" + host + "' is neither a DNS name (lower-case labels of letters, digits and "
                            + "'-') nor an IP address");
                    return;
                }
            }
            int number = 443;
            if (port != null) {
                if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                    problem(path, "port '" + port + "' of '" + text + "' is not between 1 and 65535");
                    return;
                }
                number = Integer.parseInt(port);
            }
            endpointHost = host;
            endpointPort = number;
        }

        /** The URL with any user information replaced, so that a password never reaches a log. */
        private static String redacted(String url) {
            return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1***@");
        }

        private static int indexOfAny(String s, String chars) {
            for (int i = 0; i < s.length(); i++) {
                if (chars.indexOf(s.charAt(i)) >= 0) {
                    return i;
                }
            }
            return -1;
        }

        /** Digits and dots only, or a colon: meant as an address, so it must be a valid one, not a DNS name. */
        private static boolean looksLikeAddress(String s) {
            return s.matches("[0-9.]+") || s.contains(":");
        }

        /** The canonical address {@code text} is, or a problem saying how it is not one. */
        private Optional<IPAddress> address(String path, String text) {
            Optional<IPAddress> a = Addresses.ip(text);
            if (a.isPresent()) {
                return a;
            }
            Optional<IPAddress> loose = Addresses.anyIp(text);
            if (loose.isEmpty()) {
                problem(path, "'" + text + "' is not an IP address");
            } else if (loose.get().isIPv4()) {
                problem(path, "'" + text + "' is not an IPv4 address in dotted-quad form: write four decimal "
                        + "numbers without leading zeros, such as 10.240.0.20 (programs disagree on what forms "
                        + "such as 010.240.0.20, 10.240.20 or 183500820 mean)");
            } else {
                problem(path, "'" + text + "' is not in RFC 5952 form; write " + Addresses.text(loose.get()));
            }
            return Optional.empty();
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
                    problem("network.serviceCidr", serviceCidr + " is " + family(serviceCidr)
                            + " but network.clusterCidr is "
                            + family(clusterCidr) + "; hardway builds single-stack clusters");
                } else if (clusterCidr.overlaps(serviceCidr)) {
                    problem("network.serviceCidr", serviceCidr + " overlaps network.clusterCidr " + clusterCidr
                            + "; pod and service addresses must be disjoint");
                }
            }
            if (serviceCidr != null) {
                // kube-apiserver refuses wider ranges: it keeps one bitmap of the whole range in etcd
                int widest = serviceCidr.isIPv4() ? 12 : 108;
                if (serviceCidr.getNetworkPrefixLength() < widest) {
                    problem("network.serviceCidr", serviceCidr + " is wider than kube-apiserver accepts; use a /"
                            + widest + " or narrower");
                }
            }
            Optional<IPAddress> endpointIp = endpointHost == null ? Optional.empty() : Addresses.ip(endpointHost);
            if (clusterCidr != null && endpointIp.isPresent() && endpointIp.get().isIPv4() != clusterCidr.isIPv4()) {
                problem("apiServer.endpoint", endpointIp.get() + " is " + family(endpointIp.get())
                        + " but the cluster is " + family(clusterCidr) + "; hardway builds single-stack clusters");
            }
            if (required("network.clusterDns", n.clusterDns())) {
                clusterDns = address("network.clusterDns", n.clusterDns()).orElse(null);
                if (clusterDns != null && serviceCidr != null) {
                    if (!serviceCidr.contains(clusterDns)) {
                        problem("network.clusterDns", clusterDns + " is not inside network.serviceCidr " + serviceCidr);
                    } else if (clusterDns.equals(serviceCidr.getLower().withoutPrefixLength())) {
                        problem("network.clusterDns", clusterDns + " is the network address of network.serviceCidr");
                    } else if (serviceCidr.isIPv4()
                            && clusterDns.equals(serviceCidr.getUpper().withoutPrefixLength())) {
                        problem("network.clusterDns", clusterDns + " is the broadcast address of network.serviceCidr "
                                + serviceCidr);
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
            if (prefix != null && clusterCidr != null && inRange("network.podCidrPrefixLength")) {
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
                problem(path, Addresses.anyCidr(text).isPresent()
                        ? "'" + text + "' is not written in canonical form: the address as four decimal numbers "
                        + "without leading zeros (IPv6: RFC 5952 form), then '/' and the prefix length, such as "
                        + "10.200.0.0/16"
                        : "'" + text + "' is not a CIDR block such as 10.200.0.0/16");
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
                problem("controllers", controllers.size() + " controllers form an etcd cluster that survives "
                        + "no more member failures (" + (controllers.size() - 1) / 2 + ") than "
                        + (controllers.size() - 1) + " would; use an odd number");
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
                Optional<IPAddress> ip = address(path + ".internalIp", node.internalIp());
                if (ip.isEmpty()) {
                    continue;
                }
                IPAddress a = ip.get();
                Optional<String> unusable = Addresses.unusableForNode(a);
                if (unusable.isPresent()) {
                    problem(path + ".internalIp", a + " is " + unusable.get() + "; other hosts cannot reach a node "
                            + "there");
                    continue;
                }
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
            if (prefix < clusterCidr.getNetworkPrefixLength() || !inRange("network.podCidrPrefixLength")) {
                return;
            }
            int maxPods = maxPods();
            if (podsFit(clusterCidr, prefix) < maxPods) {
                int needed = longestPrefixFor(maxPods);
                boolean explicit = spec.network().podCidrPrefixLength() != null;
                problem(explicit ? "network.podCidrPrefixLength" : "kubelet.maxPods", "a /" + prefix + " pod subnet "
                        + "has room for " + podsFit(clusterCidr, prefix) + " pods, fewer than kubelet.maxPods ("
                        + maxPods + "); set network.podCidrPrefixLength to " + needed + " or lower");
                return;
            }
            for (int i = 0; i < requested.size(); i++) {
                IPAddress c = requested.get(i);
                if (c != null && podsFit(c, c.getNetworkPrefixLength()) < maxPods) {
                    problem("workers[" + i + "].podCidr", c + " has room for " + podsFit(c, c.getNetworkPrefixLength())
                            + " pods, fewer than kubelet.maxPods (" + maxPods + "); use a /"
                            + longestPrefixFor(maxPods) + " or wider");
                    usable = false;
                }
            }
            List<String> names = workers.stream().map(w -> w == null ? null : w.name()).toList();
            Map<String, IPAddress> kept = new HashMap<>();
            List<IPAddress> released = new ArrayList<>();
            for (String name : names) {
                if (name != null) {
                    history.podCidrOf(name).flatMap(Addresses::cidr).ifPresent(c -> kept.put(name, c));
                }
            }
            // released: subnets of nodes that left before, and of those that leave with this run
            history.released().values().forEach(c -> Addresses.cidr(c).ifPresent(released::add));
            java.util.Set<String> present = new java.util.HashSet<>(names);
            history.podCidrs().forEach((node, c) -> {
                if (!present.contains(node)) {
                    Addresses.cidr(c).ifPresent(released::add);
                }
            });
            PodCidrAllocator.Allocation allocation = new PodCidrAllocator(clusterCidr, prefix)
                    .allocate(names, requested, kept, released);
            List<Optional<IPAddress>> allocated = allocation.subnets();
            for (int i = 0; i < allocated.size(); i++) {
                if (allocated.get(i).isEmpty()) {
                    problem("workers[" + i + "].podCidr", "network.clusterCidr " + clusterCidr
                            + " has no free /" + prefix + " left for this worker; set podCidr or widen clusterCidr");
                    usable = false;
                }
            }
            for (PodCidrAllocator.Conflict c : allocation.conflicts()) {
                int j = c.holder();
                String how = switch (c.how()) {
                    case KEPT -> ", the podCidr workers[" + j + "] (" + names.get(j) + ") was given when the cluster "
                            + "was generated before (recorded in " + history.source() + "); a node's subnet never "
                            + "moves: pick another";
                    case EXPLICIT -> ", the podCidr of workers[" + j + "]";
                    case NEW -> ", the podCidr allocated to workers[" + j + "] (automatic subnets of earlier workers "
                            + "never move; pick another)";
                };
                problem("workers[" + c.worker() + "].podCidr", allocated.get(c.worker()).orElseThrow() + " overlaps "
                        + allocated.get(j).orElseThrow() + how);
                usable = false;
            }
            if (usable) {
                podCidrs = allocated;
            }
        }

        private int maxPods() {
            Integer m = spec.kubelet() == null ? null : spec.kubelet().maxPods();
            return m == null || !inRange("kubelet.maxPods") ? DEFAULT_MAX_PODS : m;
        }

        /**
         * Pod addresses in a subnet of {@code prefix} bits: all but the network address, the bridge's gateway (the
         * first address, which the CNI bridge plugin takes) and, for IPv4, the broadcast address.
         */
        private static long podsFit(IPAddress family, int prefix) {
            int hostBits = family.getBitCount() - prefix;
            if (hostBits >= 40) {
                return Long.MAX_VALUE;
            }
            return (1L << hostBits) - (family.isIPv4() ? 3 : 2);
        }

        private int longestPrefixFor(int pods) {
            int prefix = clusterCidr.getBitCount();
            while (prefix > 0 && podsFit(clusterCidr, prefix) < pods) {
                prefix--;
            }
            return prefix;
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
            if (!inRange("pki.caValidityDays") || !inRange("pki.validityDays") || !inRange("pki.renewBeforeDays")) {
                return;
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
            for (int i = 0; i < b.checksums().size(); i++) {
                BinariesSpec.BinaryChecksum c = b.checksums().get(i);
                String path = "binaries.checksums[" + i + "]";
                if (c == null) {
                    problem(path, "is empty");
                    continue;
                }
                if (required(path + ".name", c.name()) && !c.name().matches("[A-Za-z0-9._-]+")) {
                    problem(path + ".name", "'" + c.name() + "' is not an executable's file name");
                }
                if (required(path + ".sha256", c.sha256()) && !c.sha256().matches("[0-9a-f]{64}")) {
                    problem(path + ".sha256", "'" + c.sha256() + "' is not a SHA-256 checksum (64 lower-case hex "
                            + "digits)");
                }
            }
        }

        private void kubelet() {
            KubeletSpec k = spec.kubelet();
            if (k == null) {
                return;
            }
            if (k.resolvConf() != null && !k.resolvConf().startsWith("/")) {
                problem("kubelet.resolvConf", "'" + k.resolvConf() + "' must be an absolute path");
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
            return new ResolvedCluster(spec, spec.name(), version, release, spec.apiServer().endpoint(), endpointHost,
                    endpointPort, spec.apiServer().extraSans(),
                    text.apply(clusterCidr), text.apply(serviceCidr), text.apply(firstServiceIp()),
                    text.apply(clusterDns), spec.network().clusterDomain(), controllers, workers, keyAlgorithm,
                    orDefault(p.caValidityDays(), DEFAULT_CA_DAYS), orDefault(p.validityDays(), DEFAULT_LEAF_DAYS),
                    orDefault(p.renewBeforeDays(), DEFAULT_RENEW_BEFORE_DAYS), containerd,
                    k.resolvConf() == null ? DEFAULT_RESOLV_CONF : k.resolvConf(),
                    orDefault(k.maxPods(), DEFAULT_MAX_PODS), podPrefix());
        }

        private static String canonicalIp(String text) {
            return Addresses.text(Addresses.ip(text).orElseThrow());
        }
    }
}
