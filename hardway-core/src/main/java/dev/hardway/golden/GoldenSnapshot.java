package dev.hardway.golden;

import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.pki.CertificateDescription;
import dev.hardway.pki.Pem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reviewable text form of a rendered cluster: one entry per generated file, at {@code <node>/<target path>},
 * so a diff of two snapshots reads like the change on each host.
 *
 * <p>Certificates appear as {@link CertificateDescription}s, kubeconfigs with their embedded credentials
 * replaced by what they refer to, and private keys and encryption keys not at all (only their presence and mode,
 * in each node's {@value #MANIFEST}). A snapshot therefore holds no secret and can be committed.
 */
public final class GoldenSnapshot {
    /** Per node: every file with its mode and the services it restarts. */
    public static final String MANIFEST = "FILES";

    private static final Pattern EMBEDDED = Pattern.compile(
            "^(\\s*)(certificate-authority-data|client-certificate-data|client-key-data): (\\S+)$",
            Pattern.MULTILINE);

    private GoldenSnapshot() {
    }

    /** Where a file identical on every node of a group is kept once, e.g. {@code _every-worker/etc/...}. */
    public static final String EVERY_NODE = "_every-node";
    public static final String EVERY_WORKER = "_every-worker";
    public static final String EVERY_CONTROLLER = "_every-controller";
    /** The fingerprints of the long-lived secrets: a review sees a new encryption key without seeing the key. */
    public static final String PKI_FINGERPRINTS = "PKI";
    /** A node's installer, the same program on every node, and the data file that says what it installs there. */
    public static final String INSTALLER = "install.sh";
    public static final String INSTALLER_MANIFEST = "install.manifest";
    /** The operator's kubeconfig, redacted. */
    public static final String ADMIN_KUBECONFIG = "admin.kubeconfig";

    /**
     * Path relative to the snapshot root, to text. A file that is the same on every node of the cluster, or on
     * every worker or every controller (of two or more), is kept once under {@value #EVERY_NODE},
     * {@value #EVERY_WORKER} or {@value #EVERY_CONTROLLER}: its diff is read once, and adding a node adds that
     * node's own files and nothing else. Each node's {@value #MANIFEST} still lists every file it receives.
     */
    public static SortedMap<String, String> of(List<NodeBundle> bundles, Map<String, String> installScripts,
                                               Map<String, String> installManifests,
                                               SortedMap<String, String> pkiFingerprints, String adminKubeconfig) {
        // each node's files as shown, nodes in parallel (certificates are parsed to be described). A file that
        // is the same HostFile object in every bundle (the route table, containerd's config: rendered once for
        // every node) is shown once, as one String, so finding what every node shares below is a reference
        // comparison, not a character one; equal files that are separate objects are shown apart, and compare equal
        Map<Same, String> shownOnce = new java.util.concurrent.ConcurrentHashMap<>();
        List<Map<String, String>> shownInOrder = bundles.parallelStream().map(bundle -> {
            Map<String, String> shown = new java.util.LinkedHashMap<>();
            for (HostFile f : bundle.files()) {
                String text = f.kind() == HostFile.Kind.SECRET ? null
                        : shownOnce.computeIfAbsent(new Same(f), same -> show(same.file));
                if (text != null) {
                    shown.put(f.path(), text);
                }
            }
            return shown;
        }).toList();
        Map<String, Map<String, String>> shownByNode = new java.util.LinkedHashMap<>();
        for (int i = 0; i < bundles.size(); i++) {
            shownByNode.put(bundles.get(i).node(), shownInOrder.get(i));
        }
        Map<String, String> everyNode = common(bundles, shownByNode);
        Map<String, String> everyWorker = common(bundles.stream().filter(b -> b.role().equals("worker")).toList(),
                shownByNode);
        Map<String, String> everyController = common(bundles.stream()
                .filter(b -> b.role().equals("controller")).toList(), shownByNode);
        everyWorker.keySet().removeAll(everyNode.keySet());
        everyController.keySet().removeAll(everyNode.keySet());

        boolean installerShared = everyOneSame(bundles, installScripts);
        Map<String, String> manifestShownIn = sharedManifests(bundles, installManifests);
        SortedMap<String, String> out = new TreeMap<>();
        everyNode.forEach((path, text) -> out.put(EVERY_NODE + path, text));
        everyWorker.forEach((path, text) -> out.put(EVERY_WORKER + path, text));
        everyController.forEach((path, text) -> out.put(EVERY_CONTROLLER + path, text));
        for (NodeBundle bundle : bundles) {
            String node = bundle.node();
            Map<String, String> group = bundle.role().equals("worker") ? everyWorker : everyController;
            String groupDir = bundle.role().equals("worker") ? EVERY_WORKER : EVERY_CONTROLLER;
            StringBuilder manifest = new StringBuilder();
            manifest.append("# ").append(node).append(" (").append(bundle.role()).append("): mode, path, services "
                    + "restarted when it changes\n");
            for (HostFile f : bundle.files()) {
                manifest.append(String.format(java.util.Locale.ROOT, "%04o %s", f.mode(), f.path()));
                if (!f.restarts().isEmpty()) {
                    manifest.append("  -> ").append(String.join(", ", f.restarts()));
                }
                if (f.kind() == HostFile.Kind.SECRET) {
                    manifest.append("  (secret, not shown)");
                } else if (everyNode.containsKey(f.path())) {
                    manifest.append("  (shown in ").append(EVERY_NODE).append(")");
                } else if (group.containsKey(f.path())) {
                    manifest.append("  (shown in ").append(groupDir).append(")");
                }
                manifest.append('\n');
                String shown = shownByNode.get(node).get(f.path());
                if (shown != null && !everyNode.containsKey(f.path()) && !group.containsKey(f.path())) {
                    out.put(node + f.path(), shown);
                }
            }
            out.put(node + "/" + MANIFEST, manifest.toString());
            if (!installerShared) {
                out.put(node + "/" + INSTALLER, installScripts.get(node));
            }
            out.put(manifestShownIn.getOrDefault(node, node) + "/" + INSTALLER_MANIFEST, installManifests.get(node));
        }
        if (installerShared) {
            out.put(EVERY_NODE + "/" + INSTALLER, installScripts.get(bundles.get(0).node()));
        }
        StringBuilder fingerprints = new StringBuilder("# SHA-256 of the cluster's long-lived secrets; a change "
                + "here means a new key, which every node must receive\n");
        pkiFingerprints.forEach((id, sha) -> fingerprints.append(id).append(' ').append(sha).append('\n'));
        out.put(PKI_FINGERPRINTS, fingerprints.toString());
        if (adminKubeconfig != null) {
            out.put(ADMIN_KUBECONFIG, redactKubeconfig(adminKubeconfig));
        }
        return out;
    }

    /**
     * Per node whose {@value #INSTALLER_MANIFEST} is kept once, where: {@value #EVERY_NODE} when every node's is the
     * same text, else {@value #EVERY_WORKER} or {@value #EVERY_CONTROLLER} when every one of that role (two or
     * more) has the same. Workers' usually are: a manifest names no node, so an upgraded binary reads as one diff.
     */
    private static Map<String, String> sharedManifests(List<NodeBundle> bundles, Map<String, String> manifests) {
        Map<String, String> out = new java.util.HashMap<>();
        if (everyOneSame(bundles, manifests)) {
            bundles.forEach(b -> out.put(b.node(), EVERY_NODE));
            return out;
        }
        for (String role : List.of("worker", "controller")) {
            List<NodeBundle> group = bundles.stream().filter(b -> b.role().equals(role)).toList();
            if (everyOneSame(group, manifests)) {
                group.forEach(b -> out.put(b.node(), role.equals("worker") ? EVERY_WORKER : EVERY_CONTROLLER));
            }
        }
        return out;
    }

    /** Whether {@code group} has two or more nodes and {@code texts} gives each of them the same text. */
    private static boolean everyOneSame(List<NodeBundle> group, Map<String, String> texts) {
        return group.size() >= 2 && group.stream().map(b -> texts.get(b.node())).distinct().count() == 1;
    }

    /**
     * A node's {@value #INSTALLER_MANIFEST} in a snapshot, wherever {@link #of} kept it; null when the snapshot
     * has no such node. Its role is the one its {@value #MANIFEST} names.
     */
    public static String installManifestOf(SortedMap<String, String> snapshot, String node) {
        String files = snapshot.get(node + "/" + MANIFEST);
        String own = snapshot.get(node + "/" + INSTALLER_MANIFEST);
        if (files == null || own != null) {
            return own;
        }
        String group = files.startsWith("# " + node + " (worker)") ? EVERY_WORKER
                : files.startsWith("# " + node + " (controller)") ? EVERY_CONTROLLER : null;
        String shared = group == null ? null : snapshot.get(group + "/" + INSTALLER_MANIFEST);
        return shared != null ? shared : snapshot.get(EVERY_NODE + "/" + INSTALLER_MANIFEST);
    }

    /** A key equal only to the same object: HostFile's own equality compares contents. */
    private static final class Same {
        private final HostFile file;

        Same(HostFile file) {
            this.file = file;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Same s && s.file == file;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(file);
        }
    }

    /** The files every one of {@code group} (two or more nodes) has with the same text. */
    private static Map<String, String> common(List<NodeBundle> group, Map<String, Map<String, String>> shown) {
        Map<String, String> out = new TreeMap<>();
        if (group.size() < 2) {
            return out;
        }
        out.putAll(shown.get(group.get(0).node()));
        for (NodeBundle b : group.subList(1, group.size())) {
            Map<String, String> other = shown.get(b.node());
            out.entrySet().removeIf(e -> !e.getValue().equals(other.get(e.getKey())));
        }
        return out;
    }

    private static String show(HostFile f) {
        return switch (f.kind()) {
            case TEXT -> f.text();
            case CERTIFICATE -> describeCertificate(f.text());
            case KUBECONFIG -> redactKubeconfig(f.text());
            case SECRET -> null;
        };
    }

    private static String describeCertificate(String pem) {
        return remembered(pem, GoldenSnapshot::describeParsed);
    }

    /**
     * What a certificate says, by its PEM (or base64) text: a snapshot is made twice in a generate (the golden
     * directory, then the report) and the CA is embedded in every kubeconfig, so most texts come again. Bounded,
     * for a long-lived JVM.
     */
    private static final Map<String, String> DESCRIBED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int DESCRIBED_LIMIT = 20_000;

    private static String remembered(String key, java.util.function.Function<String, String> describe) {
        String known = DESCRIBED.get(key);
        if (known != null) {
            return known;
        }
        String text = describe.apply(key);
        if (DESCRIBED.size() >= DESCRIBED_LIMIT) {
            DESCRIBED.clear();
        }
        DESCRIBED.put(key, text);
        return text;
    }

    private static String describeParsed(String pem) {
        try {
            X509Certificate cert = Pem.certificate(pem);
            return "# certificate (the PEM is in the bundle; hardway shows what it says)\n"
                    + CertificateDescription.describe(cert);
        } catch (IOException e) {
            throw new IllegalStateException("a generated certificate does not parse", e);
        }
    }

    /** Keeps a kubeconfig's structure and replaces embedded credentials with what they are. */
    public static String redactKubeconfig(String kubeconfig) {
        Matcher m = EMBEDDED.matcher(kubeconfig);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(2).equals("client-key-data")) {
                replacement = "(private key, not shown)";
            } else {
                String data = m.group(3);
                replacement = "(certificate " + remembered("summary:" + data, k -> certificateSummary(data)) + ")";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + ": " + replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String certificateSummary(String base64Pem) {
        try {
            X509Certificate cert = Pem.certificate(new String(Base64.getDecoder().decode(base64Pem),
                    StandardCharsets.UTF_8));
            Map<String, String> facts = CertificateDescription.facts(cert);
            // the expiry too, so that a renewed client certificate shows in the golden diff like a renewed .crt
            return facts.get("subject") + ", not after " + facts.get("not after") + ", public key SHA-256 "
                    + facts.get("public key SHA-256");
        } catch (IOException | IllegalArgumentException e) {
            return "unreadable";
        }
    }
}
