package dev.hardway.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A certificate as a reviewer reads it: what it says and who it is for, never key material. Golden files hold
 * these in place of PEM, so a re-issued or changed certificate shows up as a readable diff.
 */
public final class CertificateDescription {
    private static final String[] KEY_USAGE_NAMES = {"digitalSignature", "nonRepudiation", "keyEncipherment",
        "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};

    private CertificateDescription() {
    }

    public static String describe(X509Certificate cert) {
        StringBuilder out = new StringBuilder();
        facts(cert).forEach((name, value) -> out.append(name).append(": ").append(value).append('\n'));
        return out.toString();
    }

    /** The description's lines as name to value, in display order. */
    public static Map<String, String> facts(X509Certificate cert) {
        Map<String, String> out = new LinkedHashMap<>();
        Instant from = cert.getNotBefore().toInstant();
        Instant to = cert.getNotAfter().toInstant();
        CertificateRequest names = CertificateFacts.requestOf(cert, "", "");
        put(out, "subject", cert.getSubjectX500Principal().getName());
        put(out, "issuer", cert.getIssuerX500Principal().getName());
        put(out, "not before", DateTimeFormatter.ISO_INSTANT.format(from));
        put(out, "not after", DateTimeFormatter.ISO_INSTANT.format(to));
        put(out, "validity", Duration.between(from, to).toDays() + " days");
        put(out, "CA", cert.getBasicConstraints() >= 0 ? "yes" : "no");
        put(out, "key", Keys.describe(cert.getPublicKey()));
        put(out, "public key SHA-256", fingerprint(cert.getPublicKey().getEncoded()));
        put(out, "signature", cert.getSigAlgName());
        put(out, "key usage", String.join(", ", keyUsages(cert)));
        put(out, "extended key usage", String.join(", ", extendedKeyUsages(cert)));
        put(out, "DNS names", String.join(", ", names.dnsNames()));
        put(out, "IP addresses", String.join(", ", names.ipAddresses()));
        return out;
    }

    private static void put(Map<String, String> out, String name, String value) {
        out.put(name, value.isEmpty() ? "-" : value);
    }

    static String fingerprint(byte[] der) {
        return Fingerprints.sha256Colons(der);
    }

    private static List<String> keyUsages(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        boolean[] bits = cert.getKeyUsage();
        if (bits != null) {
            for (int i = 0; i < bits.length && i < KEY_USAGE_NAMES.length; i++) {
                if (bits[i]) {
                    names.add(KEY_USAGE_NAMES[i]);
                }
            }
        }
        return names;
    }

    private static List<String> extendedKeyUsages(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            List<String> oids = cert.getExtendedKeyUsage();
            if (oids != null) {
                for (String oid : oids) {
                    names.add(switch (oid) {
                        case "1.3.6.1.5.5.7.3.1" -> "serverAuth";
                        case "1.3.6.1.5.5.7.3.2" -> "clientAuth";
                        default -> oid;
                    });
                }
            }
        } catch (CertificateParsingException e) {
            // hardway parsed this certificate before it describes it: a bad extension here is a defect
            throw new IllegalArgumentException("cannot read the extended key usage", e);
        }
        return names;
    }
}
