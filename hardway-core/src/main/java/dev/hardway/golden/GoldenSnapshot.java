package dev.hardway.golden;

import dev.hardway.api.RenderedCluster;
import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.pki.CertificateDescription;
import dev.hardway.pki.Pem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
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

    /** Path relative to the snapshot root, to text. */
    public static SortedMap<String, String> of(RenderedCluster rendered) {
        SortedMap<String, String> out = new TreeMap<>();
        for (NodeBundle bundle : rendered.bundles()) {
            String node = bundle.node();
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
                }
                manifest.append('\n');
                String shown = show(f);
                if (shown != null) {
                    out.put(node + f.path(), shown);
                }
            }
            out.put(node + "/" + MANIFEST, manifest.toString());
            out.put(node + "/install.sh", rendered.installScripts().get(node));
        }
        byte[] admin = rendered.outputs().get(RenderedCluster.ADMIN_KUBECONFIG);
        if (admin != null) {
            out.put(RenderedCluster.ADMIN_KUBECONFIG, redactKubeconfig(new String(admin, StandardCharsets.UTF_8)));
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
                replacement = "(certificate " + certificateSummary(m.group(3)) + ")";
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
