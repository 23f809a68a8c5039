package dev.hardway.pki;

import dev.hardway.model.PkiStateException;
import dev.hardway.model.PlainIpv4;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads back from a certificate what a {@link CertificateRequest} asks for. */
final class CertificateFacts {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private CertificateFacts() {
    }

    static CertificateRequest requestOf(X509Certificate cert, String id, String issuer) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        String cn = values(subject, BCStyle.CN).stream().findFirst().orElse("");
        Set<String> dns = new TreeSet<>();
        Set<String> ips = new TreeSet<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    if (type == DNS_NAME) {
                        dns.add((String) san.get(1));
                    } else if (type == IP_ADDRESS) {
                        ips.add(canonicalIp((String) san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new PkiStateException(PkiStateException.Reason.DAMAGED,
                    java.nio.file.Path.of(id + ".crt"), "cannot read the subject alternative names of " + id + ".crt",
                    e);
        }
        Set<CertificateRequest.Usage> usages = EnumSet.noneOf(CertificateRequest.Usage.class);
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku != null) {
                if (eku.contains(SERVER_AUTH)) {
                    usages.add(CertificateRequest.Usage.SERVER_AUTH);
                }
                if (eku.contains(CLIENT_AUTH)) {
                    usages.add(CertificateRequest.Usage.CLIENT_AUTH);
                }
            }
        } catch (CertificateParsingException e) {
            throw new PkiStateException(PkiStateException.Reason.DAMAGED,
                    java.nio.file.Path.of(id + ".crt"), "cannot read the extended key usage of " + id + ".crt", e);
        }
        return new CertificateRequest(id, issuer, cn, values(subject, BCStyle.O), dns, ips, usages);
    }

    static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
        List<String> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs(type)) {
            out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return out;
    }

    /** The JDK prints IPv6 SANs in full form; requests use the canonical (compressed) one. */
    static String canonicalIp(String text) {
        if (PlainIpv4.address(text) != PlainIpv4.NOT_PLAIN) {
            return text; // how the JDK prints every IPv4 SAN, and already canonical: no parser needed
        }
        inet.ipaddr.IPAddress a = new inet.ipaddr.IPAddressString(text).getAddress();
        return a == null ? text : a.toCanonicalString();
    }
}
