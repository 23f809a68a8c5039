package dev.hardway.state;

import dev.hardway.model.ClusterHistory;
import dev.hardway.model.PkiStateException;
import dev.hardway.model.PlainIpv4;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.Version;
import dev.hardway.pki.PkiDirectory;
import dev.hardway.pki.PkiState;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The cluster state hardway keeps in the PKI directory ({@value PkiDirectory#CLUSTER_STATE}): what earlier runs
 * decided that later runs must keep. It is written in the same transaction as the PKI, so a failed or killed run
 * leaves it as it was, and it is text an operator can read and, to recover, edit:
 *
 * <pre>
 * kubernetesVersion 1.33.2
 * clusterCidr 10.200.0.0/16
 * serviceCidr 10.32.0.0/24
 * clusterDns 10.32.0.10
 * podCidr worker-0 10.200.0.0/24
 * podCidr worker-2 10.200.2.0/24
 * released worker-1 10.200.1.0/24
 * </pre>
 *
 * @param kubernetesVersion the release last generated; {@code null} before the first generation
 * @param podCidrs          each node's pod subnet at the last generation, by node name
 * @param released          subnets of nodes removed since, by their former node's name; they are handed to a new
 *                          node only once no never-used subnet is left, and a node added again under the same name
 *                          gets its subnet back
 * @param network           the address plan last generated: {@code clusterCidr}, {@code serviceCidr} and
 *                          {@code clusterDns} (none in a file an earlier hardway wrote)
 */
public record ClusterState(Version kubernetesVersion, SortedMap<String, String> podCidrs,
                           SortedMap<String, String> released, SortedMap<String, String> network) {

    /** No generation yet. */
    public static final ClusterState NONE = new ClusterState(null, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

    /** The {@code network} entries, in the order the file lists them. */
    private static final List<String> NETWORK = List.of("clusterCidr", "serviceCidr", "clusterDns");

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern WORDS = Pattern.compile("\\s+");
    private static final String HEADER = """
            # Written by hardway with the PKI, in the same transaction: what earlier runs decided that later runs
            # keep. A node keeps its pod subnet (podCidr) whatever its place in cluster.yaml; a removed node's
            # subnet is released, and handed out again only when no never-used subnet is left. kubernetesVersion
            # is the release last generated: the next may be the same minor or the one after it. clusterCidr,
            # serviceCidr and clusterDns are the address plan last generated: a change is warned of. Edit this file
            # only to recover (restoring a cluster from an older backup); hardway rewrites it on every change.
            """;

    public ClusterState {
        podCidrs = Collections.unmodifiableSortedMap(new TreeMap<>(podCidrs));
        released = Collections.unmodifiableSortedMap(new TreeMap<>(released));
        network = Collections.unmodifiableSortedMap(new TreeMap<>(network));
    }

    /** A state without an address plan, as an earlier hardway recorded it. */
    public ClusterState(Version kubernetesVersion, SortedMap<String, String> podCidrs,
                        SortedMap<String, String> released) {
        this(kubernetesVersion, podCidrs, released, new TreeMap<>());
    }

    public Optional<Version> lastVersion() {
        return Optional.ofNullable(kubernetesVersion);
    }

    /** The state the PKI directory holds ({@link #NONE} when it has no state file yet). */
    public static ClusterState of(PkiState pki) {
        return pki.clusterState().map(text -> parse(text, pki.clusterStateFile().toString())).orElse(NONE);
    }

    /** What the validator takes from this state; {@code source} names the file in its messages. */
    public ClusterHistory history(String source) {
        return new ClusterHistory(source, kubernetesVersion, podCidrs, released, network);
    }

    /** The history of the PKI directory {@code pki}, as {@link #history(String)}. */
    public static ClusterHistory historyOf(PkiState pki) {
        return of(pki).history(pki.clusterStateFile().toString());
    }

    /**
     * The state after generating {@code cluster}: its version and every node's subnet; the subnets of nodes that
     * left are added to those released, less any a node holds again.
     */
    public ClusterState after(ResolvedCluster cluster) {
        SortedMap<String, String> held = new TreeMap<>();
        cluster.workers().forEach(w -> held.put(w.name(), w.podCidr()));
        SortedMap<String, String> gone = new TreeMap<>(released);
        podCidrs.forEach(gone::put);
        List<IPAddress> inUse = held.values().stream().map(ClusterState::cidr).toList();
        SortedMap<String, String> stillReleased = new TreeMap<>();
        gone.forEach((node, subnet) -> {
            IPAddress s = cidr(subnet);
            if (!held.containsKey(node) && inUse.stream().noneMatch(u -> u.intersect(s) != null)) {
                stillReleased.put(node, subnet);
            }
        });
        SortedMap<String, String> plan = new TreeMap<>(Map.of("clusterCidr", cluster.clusterCidr(),
                "serviceCidr", cluster.serviceCidr(), "clusterDns", cluster.clusterDns()));
        return new ClusterState(cluster.kubernetesVersion(), held, stillReleased, plan);
    }

    /** The file's text: a comment, then one sorted line per fact. */
    public String format() {
        StringBuilder out = new StringBuilder(HEADER);
        if (kubernetesVersion != null) {
            out.append("kubernetesVersion ").append(kubernetesVersion).append('\n');
        }
        NETWORK.stream().filter(network::containsKey).forEach(key -> out.append(key).append(' ')
                .append(network.get(key)).append('\n'));
        podCidrs.forEach((node, subnet) -> out.append("podCidr ").append(node).append(' ').append(subnet)
                .append('\n'));
        released.forEach((node, subnet) -> out.append("released ").append(node).append(' ').append(subnet)
                .append('\n'));
        return out.toString();
    }

    public byte[] bytes() {
        return format().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the file's text, reporting every malformed line at once.
     *
     * @param source the file, for messages
     */
    public static ClusterState parse(String text, String source) {
        List<String> problems = new ArrayList<>();
        Version version = null;
        SortedMap<String, String> podCidrs = new TreeMap<>();
        SortedMap<String, String> released = new TreeMap<>();
        SortedMap<String, String> network = new TreeMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = source + ":" + (i + 1) + ": ";
            String[] words = WORDS.split(line);
            switch (words[0]) {
                case "kubernetesVersion" -> {
                    Optional<Version> v = words.length == 2 ? Version.parse(words[1]) : Optional.empty();
                    if (v.isEmpty()) {
                        problems.add(at + "expected 'kubernetesVersion X.Y.Z', found '" + line + "'");
                    } else if (version != null) {
                        problems.add(at + "kubernetesVersion is given twice");
                    } else {
                        version = v.get();
                    }
                }
                case "podCidr", "released" -> {
                    SortedMap<String, String> into = words[0].equals("podCidr") ? podCidrs : released;
                    if (words.length != 3 || !NAME.matcher(words[1]).matches() || !isCidr(words[2])) {
                        problems.add(at + "expected '" + words[0] + " NODE SUBNET' (a node name and a subnet such "
                                + "as 10.200.0.0/24), found '" + line + "'");
                    } else if (podCidrs.containsKey(words[1]) || released.containsKey(words[1])) {
                        problems.add(at + "node " + words[1] + " is listed twice");
                    } else {
                        into.put(words[1], canonical(words[2]));
                    }
                }
                case "clusterCidr", "serviceCidr", "clusterDns" -> {
                    boolean address = words[0].equals("clusterDns");
                    if (words.length != 2 || !(address ? isAddress(words[1]) : isCidr(words[1]))) {
                        problems.add(at + "expected '" + words[0] + (address ? " ADDRESS' (such as 10.32.0.10)"
                                : " SUBNET' (such as 10.200.0.0/16)") + ", found '" + line + "'");
                    } else if (network.containsKey(words[0])) {
                        problems.add(at + words[0] + " is given twice");
                    } else {
                        network.put(words[0], address ? words[1] : canonical(words[1]));
                    }
                }
                default -> problems.add(at + "unknown entry '" + words[0] + "'; expected kubernetesVersion, "
                        + "clusterCidr, serviceCidr, clusterDns, podCidr or released");
            }
        }
        if (!problems.isEmpty()) {
            throw new PkiStateException(PkiStateException.Reason.DAMAGED, java.nio.file.Path.of(source),
                    problems.stream().collect(Collectors.joining("\n  ",
                    "the cluster state cannot be read, so nothing was written (restore the file from backup, or "
                            + "fix these lines):\n  ", "")));
        }
        return new ClusterState(version, podCidrs, released, network);
    }

    /** Names of the nodes whose subnets are recorded, held or released. */
    public Set<String> recordedNodes() {
        Set<String> all = new java.util.TreeSet<>(podCidrs.keySet());
        all.addAll(released.keySet());
        return all;
    }

    /** An address as hardway writes one. */
    private static boolean isAddress(String text) {
        IPAddress a = new IPAddressString(text).getAddress();
        return a != null && !a.isPrefixed() && a.toCanonicalString().equals(text);
    }

    private static boolean isCidr(String text) {
        int prefix = plainIpv4Prefix(text);
        if (prefix != NOT_PLAIN) {
            return prefix >= 0;
        }
        if (PlainIpv4.overlongPrefix(text)) {
            return false;
        }
        IPAddress a = new IPAddressString(text).getAddress();
        return a != null && a.isPrefixed() && a.equals(a.toPrefixBlock());
    }

    private static String canonical(String text) {
        if (plainIpv4Prefix(text) >= 0) {
            return text; // written as hardway writes it: already canonical
        }
        IPAddress a = cidr(text);
        return a.getLower().withoutPrefixLength().toCanonicalString() + "/" + a.getNetworkPrefixLength();
    }

    /**
     * For a subnet written as hardway writes it (see {@link PlainIpv4}): its prefix length, or -1 when it has host
     * bits set; {@link #NOT_PLAIN} for anything else, which the address library reads. A 1000-node cluster's state
     * holds 1000 subnets, read on every run.
     */
    static int plainIpv4Prefix(String text) {
        long cidr = PlainIpv4.cidr(text);
        if (cidr == PlainIpv4.NOT_PLAIN) {
            return NOT_PLAIN;
        }
        return PlainIpv4.isBlock(cidr) ? (int) (cidr & 0xff) : -1;
    }

    private static final int NOT_PLAIN = -2;

    private static IPAddress cidr(String text) {
        return new IPAddressString(text).getAddress();
    }
}
