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
    /** etcd's own advice: more members make writes slower and buy no availability worth having. */
    static final int MAX_CONTROLLERS = 7;
    /** kube-proxy's nftables mode is GA from this minor on (KEP-3866). */
    static final int FIRST_MINOR_WITH_NFTABLES_GA = 33;
    /** kube-proxy logs that the ipvs mode is deprecated from this minor on (KEP-5495). */
    static final int FIRST_MINOR_DEPRECATING_IPVS = 35;

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

    /** One validation run: every problem and, when there are none, the resolved cluster (else {@code null}). */
    record Outcome(List<Problem> problems, ResolvedCluster resolved) {
    }

    /**
     * As {@link #problems} and, when {@code resolve} and there is no problem, {@link #resolve}: the loader needs
     * both, and validating a large spec twice costs as much as reading it.
     */
    Outcome check(ClusterSpec spec, boolean resolve) {
        Check check = new Check(spec, history);
        check.run();
        return new Outcome(check.problems, resolve && check.problems.isEmpty() ? check.resolved() : null);
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
        /** Each Node's pod subnet by its path ({@code controllers[0]}, {@code workers[2]}), once all are valid. */
        private final Map<String, IPAddress> podCidrByPath = new HashMap<>();
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
            registrations();
            podCidrs();
            pki();
            containerd();
            kubelet();
            kubeProxy();
            extraArgs();
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
                    case BOOLEAN -> {
                    }
                    case STRING_MAP -> ((Map<?, ?>) value).forEach((k, v) -> {
                        plainText(p + "." + k, (String) k);
                        plainText(p + "." + k, (String) v);
                    });
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
                        + "last generated for" + recorded + "; Kubernetes does not downgrade a minor release: "
                        + keepOrUpgrade(last) + ". Restoring the whole cluster from a " + version.minorLine()
                        + " backup is the one exception: then edit the kubernetesVersion line of that file");
            }
        }

        /**
         * What a cluster at {@code last} may move to, naming only minors hardway generates for: suggesting the next
         * minor when hardway has none would send the user from this error to "not supported".
         */
        private static String keepOrUpgrade(Version last) {
            Version next = new Version(last.major(), last.minor() + 1, 0);
            String keep = "keep " + last.minorLine() + ".x";
            if (KubernetesRelease.of(last).isEmpty()) {
                return keep + " with the hardway release that generated it (this one generates for Kubernetes "
                        + KubernetesRelease.supportedRange() + ")";
            }
            return KubernetesRelease.of(next).isPresent() ? keep + " or upgrade to " + next.minorLine() + ".x" : keep;
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
            } else if (controllers.size() % 2 == 0 && controllers.size() <= MAX_CONTROLLERS) {
                problem("controllers", controllers.size() + " controllers form an etcd cluster that survives "
                        + "no more member failures (" + (controllers.size() - 1) / 2 + ") than "
                        + (controllers.size() - 1) + " would; use an odd number (1, 3, 5 or 7)");
            }
            boolean anyControllerNode = controllers != null && controllers.stream().anyMatch(this::isKubeletNode);
            if ((spec.workers() == null || spec.workers().isEmpty()) && !anyControllerNode) {
                problem("workers", "at least one worker is required, unless the controllers are Nodes: set "
                        + "controlPlane.enableWorker: true for a cluster without workers (one controller makes a "
                        + "single-node cluster)");
            }
            controlPlane(anyControllerNode);
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

        /**
         * The pod subnets of every host that is a Node: the controllers that are (in spec order), then the workers.
         * Controllers come first because workers are what gets appended: a new worker never moves a controller's
         * subnet.
         */
        private void podCidrs() {
            if (clusterCidr == null) {
                return;
            }
            List<NodeSpec> nodes = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            if (spec.controllers() != null) {
                for (int i = 0; i < spec.controllers().size(); i++) {
                    ControllerSpec c = spec.controllers().get(i);
                    if (c != null && isKubeletNode(c)) {
                        nodes.add(c);
                        paths.add("controllers[" + i + "]");
                    }
                }
            }
            if (spec.workers() != null) {
                for (int i = 0; i < spec.workers().size(); i++) {
                    nodes.add(spec.workers().get(i));
                    paths.add("workers[" + i + "]");
                }
            }
            List<IPAddress> requested = new ArrayList<>();
            boolean usable = true;
            for (int i = 0; i < nodes.size(); i++) {
                NodeSpec w = nodes.get(i);
                String path = paths.get(i) + ".podCidr";
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
                    problem(paths.get(i) + ".podCidr", c + " has room for " + podsFit(c, c.getNetworkPrefixLength())
                            + " pods, fewer than kubelet.maxPods (" + maxPods + "); use a /"
                            + longestPrefixFor(maxPods) + " or wider");
                    usable = false;
                }
            }
            // nodes keep the subnet the state file records for their name, whatever their place in the lists
            List<String> names = nodes.stream().map(n -> n == null ? null : n.name()).toList();
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
                    problem(paths.get(i) + ".podCidr", "network.clusterCidr " + clusterCidr + " has no free /"
                            + prefix + " left for this node; set podCidr or widen clusterCidr");
                    usable = false;
                }
            }
            for (PodCidrAllocator.Conflict c : allocation.conflicts()) {
                int j = c.holder();
                String how = switch (c.how()) {
                    case KEPT -> ", the podCidr " + paths.get(j) + " (" + names.get(j) + ") was given when the "
                            + "cluster was generated before (recorded in " + history.source() + "); a node's subnet "
                            + "never moves: pick another";
                    case EXPLICIT -> ", the podCidr of " + paths.get(j);
                    case NEW -> ", the podCidr allocated to " + paths.get(j) + " (automatic subnets of earlier nodes "
                            + "never move; pick another)";
                };
                problem(paths.get(c.worker()) + ".podCidr", allocated.get(c.worker()).orElseThrow() + " overlaps "
                        + allocated.get(j).orElseThrow() + how);
                usable = false;
            }
            if (usable) {
                for (int i = 0; i < allocated.size(); i++) {
                    podCidrByPath.put(paths.get(i), allocated.get(i).orElseThrow());
                }
            }
        }

        /** Whether a controller is also a Node: its own enableWorker, else controlPlane.enableWorker. */
        private boolean isKubeletNode(ControllerSpec c) {
            if (c != null && c.enableWorker() != null) {
                return c.enableWorker();
            }
            ControlPlaneSpec cp = spec.controlPlane();
            return cp != null && Boolean.TRUE.equals(cp.enableWorker());
        }

        private boolean noWorkers() {
            return spec.workers() == null || spec.workers().isEmpty();
        }

        /** Talos' default for a cluster without workers: its controllers are where pods run. */
        private boolean allowSchedulingOnControlPlanes() {
            ControlPlaneSpec cp = spec.controlPlane();
            if (cp != null && cp.allowSchedulingOnControlPlanes() != null) {
                return cp.allowSchedulingOnControlPlanes();
            }
            return noWorkers();
        }

        private void controlPlane(boolean anyControllerNode) {
            ControlPlaneSpec cp = spec.controlPlane();
            if (cp != null && Boolean.TRUE.equals(cp.allowSchedulingOnControlPlanes()) && !anyControllerNode) {
                problem("controlPlane.allowSchedulingOnControlPlanes", "no controller is a Node, so no pod can be "
                        + "scheduled on one; set controlPlane.enableWorker: true (or enableWorker on a controller)");
            }
        }

        /** The taints a Node registers with: the spec's, or the role's default. */
        private List<TaintSpec> taintsOf(NodeSpec node) {
            if (node.taints() != null) {
                return node.taints();
            }
            return node instanceof ControllerSpec && !allowSchedulingOnControlPlanes()
                    ? List.of(TaintSpec.CONTROL_PLANE) : List.of();
        }

        /** Labels, taints and podCidr: only on hosts that are Nodes, and only what the kubelet may register. */
        private void registrations() {
            List<String> schedulable = new ArrayList<>();
            if (spec.controllers() != null) {
                for (int i = 0; i < spec.controllers().size(); i++) {
                    ControllerSpec c = spec.controllers().get(i);
                    String path = "controllers[" + i + "]";
                    if (c == null) {
                        continue;
                    }
                    if (!isKubeletNode(c)) {
                        for (String field : List.of("podCidr", "labels", "taints")) {
                            Object v = field.equals("podCidr") ? c.podCidr() : field.equals("labels") ? c.labels()
                                    : c.taints();
                            if (v != null) {
                                problem(path + "." + field, "applies only to a controller that is also a Node; set "
                                        + path + ".enableWorker: true or controlPlane.enableWorker: true");
                            }
                        }
                        continue;
                    }
                    registration(path, c);
                    if (isSchedulable(taintsOf(c))) {
                        schedulable.add(path);
                    }
                }
            }
            if (spec.workers() != null) {
                for (int i = 0; i < spec.workers().size(); i++) {
                    WorkerSpec w = spec.workers().get(i);
                    if (w != null) {
                        registration("workers[" + i + "]", w);
                        if (isSchedulable(taintsOf(w))) {
                            schedulable.add("workers[" + i + "]");
                        }
                    }
                }
            }
            boolean anyNode = !noWorkers() || (spec.controllers() != null
                    && spec.controllers().stream().anyMatch(this::isKubeletNode));
            if (anyNode && schedulable.isEmpty()) {
                problem(noWorkers() ? "controlPlane.allowSchedulingOnControlPlanes" : "workers",
                        "every Node registers with a NoSchedule or NoExecute taint, so CoreDNS and every other "
                                + "pod would stay Pending; leave one Node untainted");
            }
        }

        private static boolean isSchedulable(List<TaintSpec> taints) {
            return taints.stream().noneMatch(t -> "NoSchedule".equals(t.effect()) || "NoExecute".equals(t.effect()));
        }

        private void registration(String path, NodeSpec node) {
            if (node.labels() != null) {
                for (Map.Entry<String, String> e : node.labels().entrySet()) {
                    String p = path + ".labels." + e.getKey();
                    String key = e.getKey();
                    Optional<String> wrong = qualifiedNameProblem(key);
                    if (wrong.isPresent()) {
                        problem(p, "'" + key + "' is not a label key: " + wrong.get());
                        continue;
                    }
                    if (key.equals(NodeRoles.CONTROL_PLANE_LABEL)) {
                        problem(p, "hardway labels every controller that is a Node " + NodeRoles.CONTROL_PLANE_LABEL
                                + " itself, after registration (the kubelet may not); remove it here");
                    } else if (!NodeRoles.kubeletMaySet(key)) {
                        problem(p, "the kubelet refuses to register with '" + key + "': in the kubernetes.io and "
                                + "k8s.io namespaces it sets only the prefixes " + String.join(", ",
                                NodeRoles.KUBELET_LABEL_NAMESPACES) + " and its well-known labels (kubernetes.io/os, "
                                + "topology.kubernetes.io/zone, ...), and NodeRestriction keeps the rest from it. Use "
                                + "your own prefix, or label the Node with kubectl once it has registered");
                    }
                    labelValueProblem(e.getValue()).ifPresent(m -> problem(p, "'" + e.getValue()
                            + "' is not a label value: " + m));
                }
            }
            if (node.taints() == null) {
                return;
            }
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < node.taints().size(); i++) {
                TaintSpec t = node.taints().get(i);
                String p = path + ".taints[" + i + "]";
                if (t == null) {
                    problem(p, "is empty");
                    continue;
                }
                if (required(p + ".key", t.key())) {
                    qualifiedNameProblem(t.key()).ifPresent(m -> problem(p + ".key", "'" + t.key()
                            + "' is not a taint key: " + m));
                }
                if (t.value() != null) {
                    labelValueProblem(t.value()).ifPresent(m -> problem(p + ".value", "'" + t.value()
                            + "' is not a taint value: " + m));
                }
                if (required(p + ".effect", t.effect()) && !List.of("NoSchedule", "PreferNoSchedule", "NoExecute")
                        .contains(t.effect())) {
                    problem(p + ".effect", "'" + t.effect() + "' is not one of NoSchedule, PreferNoSchedule, "
                            + "NoExecute");
                }
                String id = t.key() + ":" + t.effect();
                if (seen.containsKey(id)) {
                    problem(p, "repeats the taint " + id + " of " + seen.get(id) + "; a Node holds one taint per key "
                            + "and effect");
                } else {
                    seen.put(id, p);
                }
            }
        }

        /** Kubernetes' IsQualifiedName: an optional DNS subdomain prefix and '/', then a 63-character name. */
        static Optional<String> qualifiedNameProblem(String key) {
            String name = key;
            int slash = key.indexOf('/');
            if (slash >= 0) {
                String prefix = key.substring(0, slash);
                name = key.substring(slash + 1);
                if (!isDnsSubdomain(prefix)) {
                    return Optional.of("the prefix '" + prefix + "' is not a DNS subdomain");
                }
            }
            if (name.isEmpty() || name.length() > 63 || !name.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
                return Optional.of("the name must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending "
                        + "with a letter or digit");
            }
            return Optional.empty();
        }

        static Optional<String> labelValueProblem(String value) {
            if (value.isEmpty()) {
                return Optional.empty();
            }
            if (value.length() > 63 || !value.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")) {
                return Optional.of("at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter "
                        + "or digit");
            }
            return Optional.empty();
        }

        private String kubeProxyMode = "iptables";
        private final List<String> warnings = new ArrayList<>();
        private final List<String> changeWarnings = new ArrayList<>();

        private void kubeProxy() {
            KubeProxySpec k = spec.kubeProxy();
            if (k == null || k.mode() == null) {
                return;
            }
            String mode = k.mode();
            switch (mode) {
                case "iptables" -> kubeProxyMode = mode;
                case "nftables" -> {
                    if (version != null && version.minor() < FIRST_MINOR_WITH_NFTABLES_GA) {
                        problem("kubeProxy.mode", "nftables is generally available from Kubernetes 1."
                                + FIRST_MINOR_WITH_NFTABLES_GA + " on (beta in " + version.minorLine()
                                + "); use iptables, or Kubernetes 1." + FIRST_MINOR_WITH_NFTABLES_GA + " or later");
                    } else {
                        kubeProxyMode = mode;
                    }
                }
                case "ipvs" -> {
                    kubeProxyMode = mode;
                    warnings.add("kubeProxy.mode: ipvs is deprecated since Kubernetes 1." + FIRST_MINOR_DEPRECATING_IPVS
                            + " (KEP-5495" + (version != null && version.minor() >= FIRST_MINOR_DEPRECATING_IPVS
                            ? "; kube-proxy " + version.minorLine() + " logs a warning at start" : "")
                            + "); nftables is its replacement");
                }
                default -> problem("kubeProxy.mode", "'" + mode + "' is not one of iptables, nftables, ipvs");
            }
        }

        private final Map<String, List<ExtraArg>> extraArgs = new HashMap<>();

        /** Each component's added flags: known in the targeted release, not removed, not one hardway sets. */
        private void extraArgs() {
            component(ComponentFlags.KUBE_APISERVER, "apiServer.extraArgs",
                    spec.apiServer() == null ? null : spec.apiServer().extraArgs());
            component(ComponentFlags.KUBE_CONTROLLER_MANAGER, "controllerManager.extraArgs",
                    spec.controllerManager() == null ? null : spec.controllerManager().extraArgs());
            component(ComponentFlags.KUBE_SCHEDULER, "scheduler.extraArgs",
                    spec.scheduler() == null ? null : spec.scheduler().extraArgs());
            component(ComponentFlags.KUBELET, "kubelet.extraArgs",
                    spec.kubelet() == null ? null : spec.kubelet().extraArgs());
            component(ComponentFlags.KUBE_PROXY, "kubeProxy.extraArgs",
                    spec.kubeProxy() == null ? null : spec.kubeProxy().extraArgs());
        }

        private void component(String component, String path, List<ExtraArg> args) {
            if (args == null || args.isEmpty()) {
                return;
            }
            Optional<ComponentFlags> table = release == null ? Optional.empty()
                    : ComponentFlags.of(component, version.minor());
            Map<String, String> seen = new HashMap<>();
            List<ExtraArg> valid = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                ExtraArg a = args.get(i);
                String p = path + "[" + i + "]";
                if (a == null) {
                    problem(p, "is empty");
                    continue;
                }
                if (!required(p + ".name", a.name()) | !required(p + ".value", a.value())) {
                    continue;
                }
                String name = a.name().startsWith("--") ? a.name().substring(2) : a.name();
                if (a.name().startsWith("-")) {
                    problem(p + ".name", "'" + a.name() + "': write the flag's name without dashes ('" + name + "')");
                    continue;
                }
                if (!name.matches("[a-z0-9][-a-z0-9]*")) {
                    problem(p + ".name", "'" + a.name() + "' is not a flag name (lower-case letters, digits, '-')");
                    continue;
                }
                if (!a.value().matches("[^\\s\"'\\\\$%]*")) {
                    problem(p + ".value", "'" + a.value() + "' must be one word without whitespace, quotes, '\\', "
                            + "'$' or '%': it is written into the unit's command line as it is");
                    continue;
                }
                if (seen.containsKey(name)) {
                    problem(p + ".name", "--" + name + " is already given at " + seen.get(name));
                    continue;
                }
                seen.put(name, p);
                Optional<String> owner = ComponentFlags.setByHardway(component, name);
                if (owner.isPresent()) {
                    problem(p + ".name", "hardway sets " + component + " --" + name + " itself (" + owner.get()
                            + "); it cannot be overridden here");
                    continue;
                }
                if (table.isEmpty()) {
                    // no table: the release is unsupported (reported elsewhere); only what hardway sets is checked
                    valid.add(new ExtraArg(name, a.value()));
                    continue;
                }
                ComponentFlags flags = table.get();
                if (!flags.has(name)) {
                    problem(p + ".name", component + " " + version.minorLine() + " has no flag --" + name
                            + flags.unknownHint(name));
                    continue;
                }
                if (flags.ignoredWithConfigFile(name)) {
                    problem(p + ".name", component + " " + version.minorLine() + " ignores --" + name + " when it reads "
                            + "a configuration file, and hardway starts it with --config; only its logging flags, "
                            + "--master, --cleanup and --init-only apply");
                    continue;
                }
                flags.configField(name).ifPresent(field -> warnings.add(path + ": kubelet " + version.minorLine()
                        + " marks --" + name + " deprecated in favour of its configuration file (" + field
                        + "); it still applies and overrides the file"));
                valid.add(new ExtraArg(name, a.value()));
            }
            extraArgs.put(component, valid);
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
            List<ResolvedCluster.Node> controllers = new ArrayList<>();
            for (int i = 0; i < spec.controllers().size(); i++) {
                ControllerSpec c = spec.controllers().get(i);
                String ip = canonicalIp(c.internalIp());
                ResolvedCluster.Worker kubelet = !isKubeletNode(c) ? null : new ResolvedCluster.Worker(c.name(), ip,
                        Addresses.text(podCidrByPath.get("controllers[" + i + "]")), labelsOf(c), taintsOf(c), true);
                controllers.add(new ResolvedCluster.Node(c.name(), ip, kubelet));
            }
            List<ResolvedCluster.Worker> workers = new ArrayList<>();
            List<WorkerSpec> workerSpecs = spec.workers() == null ? List.of() : spec.workers();
            for (int i = 0; i < workerSpecs.size(); i++) {
                WorkerSpec w = workerSpecs.get(i);
                workers.add(new ResolvedCluster.Worker(w.name(), canonicalIp(w.internalIp()),
                        Addresses.text(podCidrByPath.get("workers[" + i + "]")), labelsOf(w), taintsOf(w), false));
            }
            Function<IPAddress, String> text = Addresses::text;
            networkMoved("clusterCidr", text.apply(clusterCidr), "every node whose pod subnet lies outside the new "
                    + "range gets a new one; on a running cluster its pods keep their old addresses, which no route "
                    + "reaches any more, so drain each such node before its bundle is installed");
            networkMoved("serviceCidr", text.apply(serviceCidr), widens(history.network().get("serviceCidr"),
                    serviceCidr)
                    ? "the new range holds the old one and starts where it did, so every Service keeps a valid "
                    + "address and the kubernetes Service keeps " + text.apply(firstServiceIp()) + "; a running "
                    + "cluster may still allocate from the old range only (from Kubernetes 1.33 its ServiceCIDR "
                    + "objects record the ranges: kubectl get servicecidrs)"
                    : "on a running cluster every Service keeps its address in the old range, and the API server's "
                    + "certificate no longer names the old kubernetes Service address that pods connect to; "
                    + "Kubernetes does not renumber Services, so keep the old range, or build the new cluster beside "
                    + "this one and move the workloads");
            networkMoved("clusterDns", text.apply(clusterDns), "on a running cluster Kubernetes refuses to move the "
                    + "kube-dns Service, so the add-ons fail to apply until it is deleted (kubectl -n kube-system "
                    + "delete service kube-dns; install.sh then applies it at the new address), and pods keep the old "
                    + "resolver until they are recreated");
            return new ResolvedCluster(spec, spec.name(), version, release, spec.apiServer().endpoint(), endpointHost,
                    endpointPort, spec.apiServer().extraSans(),
                    text.apply(clusterCidr), text.apply(serviceCidr), text.apply(firstServiceIp()),
                    text.apply(clusterDns), spec.network().clusterDomain(), controllers, workers, keyAlgorithm,
                    orDefault(p.caValidityDays(), DEFAULT_CA_DAYS), orDefault(p.validityDays(), DEFAULT_LEAF_DAYS),
                    orDefault(p.renewBeforeDays(), DEFAULT_RENEW_BEFORE_DAYS), containerd,
                    k.resolvConf() == null ? DEFAULT_RESOLV_CONF : k.resolvConf(),
                    orDefault(k.maxPods(), DEFAULT_MAX_PODS), podPrefix(), kubeProxyMode, extraArgs, warnings,
                    changeWarnings);
        }

        /** Warns when {@code network.<field>} differs from what the cluster state recorded, saying what it means. */
        /** Whether {@code now} holds the recorded range {@code was} and starts at its first address. */
        private static boolean widens(String was, IPAddress now) {
            return was != null && Addresses.cidr(was).filter(old -> now.contains(old)
                    && now.getLower().equals(old.getLower())).isPresent();
        }

        private void networkMoved(String field, String now, String consequence) {
            String was = history.network().get(field);
            if (was != null && !was.equals(now)) {
                String warning = "network." + field + ": " + now + ", was " + was + " (recorded in "
                        + history.source() + "): " + consequence + ".";
                warnings.add(warning);
                changeWarnings.add(warning);
            }
        }

        private static Map<String, String> labelsOf(NodeSpec node) {
            return node.labels() == null ? Map.of() : node.labels();
        }

        private static String canonicalIp(String text) {
            return Addresses.text(Addresses.ip(text).orElseThrow());
        }
    }
}
