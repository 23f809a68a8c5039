package dev.hardway.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

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
        line(out, "subject", cert.getSubjectX500Principal().getName());
        line(out, "issuer", cert.getIssuerX500Principal().getName());
        Instant from = cert.getNotBefore().toInstant();
        Instant to = cert.getNotAfter().toInstant();
        line(out, "not before", DateTimeFormatter.ISO_INSTANT.format(from));
        line(out, "not after", DateTimeFormatter.ISO_INSTANT.format(to));
        line(out, "validity", Duration.between(from, to).toDays() + " days");
        line(out, "CA", cert.getBasicConstraints() >= 0 ? "yes" : "no");
        line(out, "key", Keys.describe(cert.getPublicKey()));
        line(out, "public key SHA-256", fingerprint(cert.getPublicKey().getEncoded()));
        line(out, "signature", cert.getSigAlgName());
        line(out, "key usage", String.join(", ", keyUsages(cert)));
        line(out, "extended key usage", String.join(", ", extendedKeyUsages(cert)));
        CertificateRequest facts = CertificateFacts.requestOf(cert, "", "");
        line(out, "DNS names", String.join(", ", facts.dnsNames()));
        line(out, "IP addresses", String.join(", ", facts.ipAddresses()));
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append(": ").append(value.isEmpty() ? "-" : value).append('\n');
    }

    static String fingerprint(byte[] der) {
        try {
            return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
            throw new PkiException("cannot read the extended key usage", e);
        }
        return names;
    }
}
