package dev.hardway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.model.CertificateStatus;
import dev.hardway.model.ExpiryReport;
import dev.hardway.pki.Pem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificate expiry check ({@code check-certs}) as JSON, for monitoring and CI annotations. The schema is
 * stable within a {@value #SCHEMA_VERSION}: fields may be added, none is renamed or removed without raising it.
 *
 * <pre>{@code
 * {
 *   "schemaVersion": 1,
 *   "kind": "hardway-check-certs",
 *   "checkedAt": "2026-12-01T11:00:00Z",
 *   "pkiDirectory": "/abs/path/pki",
 *   "thresholdDays": 30,
 *   "passes": true,
 *   "certificates": [{
 *     "name": "kubelet-worker-0", "path": "/abs/path/pki/kubelet-worker-0.crt", "authority": false,
 *     "subject": "CN=system:node:worker-0,O=system:nodes", "issuer": "ca",
 *     "notAfter": "2027-12-01T11:00:00Z", "daysLeft": 365, "status": "ok",
 *     "nodes": [{"node": "worker-0", "path": "/var/lib/kubelet/kubelet.crt"}]
 *   }]
 * }
 * }</pre>
 *
 * <p>{@code status} is {@code ok}, {@code expiring} (within the threshold) or {@code expired}; {@code daysLeft} is
 * whole days, negative once expired; {@code issuer} is the name of the CA in the directory that signed it, or
 * {@code self-signed}. {@code nodes} says where the certificate is installed (as a file or embedded in a
 * kubeconfig), in {@link NaturalOrder}; it is empty when the report was made without the spec, or for a
 * certificate no node carries.
 */
public final class CertificateReport {
    /** Raised on any incompatible change of the JSON's shape. */
    public static final int SCHEMA_VERSION = 1;

    private static final Pattern EMBEDDED = Pattern.compile(
            "(?m)^\\s*(?:certificate-authority-data|client-certificate-data): (\\S+)$");

    private CertificateReport() {
    }

    /**
     * Where each certificate of a cluster is installed, by its subject and public key (which stay the same when a
     * certificate is renewed). The cluster is rendered in memory from the request's spec and PKI, private keys
     * optional; nothing is written.
     */
    public static Placements placements(GenerationRequest request) {
        RenderedCluster rendered = Hardway.render(request.withCertificatesOnly());
        Map<String, List<Placement>> byKey = new HashMap<>();
        for (NodeBundle bundle : rendered.nodeBundles()) {
            for (HostFile f : bundle.files()) {
                List<String> pems = switch (f.kind()) {
                    case CERTIFICATE -> List.of(f.text());
                    case KUBECONFIG -> embedded(f.text());
                    default -> List.of();
                };
                for (String pem : pems) {
                    byKey.computeIfAbsent(key(parse(pem)), k -> new ArrayList<>())
                            .add(new Placement(bundle.node(), f.path()));
                }
            }
        }
        byKey.values().forEach(l -> l.sort((a, b) -> {
            int byNode = NaturalOrder.INSTANCE.compare(a.node(), b.node());
            return byNode != 0 ? byNode : a.path().compareTo(b.path());
        }));
        return new Placements(Map.copyOf(byKey));
    }

    /** One place a certificate is installed: a node and the file's path on it. */
    public record Placement(String node, String path) {
    }

    /** Where a cluster's certificates are installed; see {@link #placements}. */
    public static final class Placements {
        /** No placements: a report made without the spec. */
        public static final Placements NONE = new Placements(Map.of());

        private final Map<String, List<Placement>> byKey;

        private Placements(Map<String, List<Placement>> byKey) {
            this.byKey = byKey;
        }

        List<Placement> of(X509Certificate cert) {
            return List.copyOf(byKey.getOrDefault(key(cert), List.of()));
        }
    }

    /** The report as JSON text (UTF-8, LF, final newline). */
    public static String json(ExpiryReport report, Placements placements) {
        ObjectNode root = Json.object();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("kind", "hardway-check-certs");
        root.put("checkedAt", DateTimeFormatter.ISO_INSTANT.format(report.now().truncatedTo(ChronoUnit.SECONDS)));
        root.put("pkiDirectory", report.directory().toString());
        root.put("thresholdDays", report.threshold().toDays());
        root.put("passes", report.passes());
        ArrayNode certificates = root.putArray("certificates");
        List<CertificateStatus> sorted = new ArrayList<>(report.certificates());
        sorted.sort((a, b) -> a.authority() != b.authority() ? Boolean.compare(a.authority(), b.authority())
                : NaturalOrder.INSTANCE.compare(a.name(), b.name()));
        for (CertificateStatus c : sorted) {
            Path file = report.directory().resolve(c.name() + ".crt");
            ObjectNode n = certificates.addObject();
            n.put("name", c.name());
            n.put("path", file.toString());
            n.put("authority", c.authority());
            n.put("subject", c.subject());
            n.put("issuer", c.issuer());
            n.put("notAfter", DateTimeFormatter.ISO_INSTANT.format(c.notAfter()));
            n.put("daysLeft", Math.floorDiv(c.residual().toSeconds(), 86_400L));
            n.put("status", c.state().name().toLowerCase(Locale.ROOT));
            ArrayNode nodes = n.putArray("nodes");
            if (placements != Placements.NONE) {
                placements.of(read(file)).forEach(p -> nodes.addObject().put("node", p.node()).put("path", p.path()));
            }
        }
        return Json.write(root);
    }

    private static List<String> embedded(String kubeconfig) {
        List<String> out = new ArrayList<>();
        Matcher m = EMBEDDED.matcher(kubeconfig);
        while (m.find()) {
            out.add(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String key(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName() + "|"
                + HexFormat.of().formatHex(cert.getPublicKey().getEncoded());
    }

    private static X509Certificate read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static X509Certificate parse(String pem) {
        try {
            return Pem.certificate(pem);
        } catch (IOException e) {
            throw new IllegalStateException("a certificate does not parse", e);
        }
    }
}
