package dev.hardway.pki;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a leaf certificate must say. Two requests that are equal describe interchangeable certificates, which is
 * how a re-run decides to reuse a persisted certificate instead of issuing a new one.
 *
 * @param id            file name stem in the PKI directory, e.g. {@code kubelet-worker-0}
 * @param issuer        id of the issuing CA, e.g. {@code ca}
 * @param commonName    subject CN, which Kubernetes reads as the user name
 * @param organizations subject O values, which Kubernetes reads as groups
 * @param dnsNames      DNS subject alternative names
 * @param ipAddresses   IP subject alternative names
 * @param usages        extended key usages
 */
public record CertificateRequest(String id, String issuer, String commonName, List<String> organizations,
                                 Set<String> dnsNames, Set<String> ipAddresses, Set<Usage> usages) {

    public CertificateRequest {
        organizations = List.copyOf(organizations);
        dnsNames = new TreeSet<>(dnsNames);
        ipAddresses = new TreeSet<>(ipAddresses);
        usages = Set.copyOf(usages);
    }

    public static CertificateRequest client(String id, String issuer, String commonName, String... organizations) {
        return new CertificateRequest(id, issuer, commonName, List.of(organizations), Set.of(), Set.of(),
                Set.of(Usage.CLIENT_AUTH));
    }

    public CertificateRequest withSans(Set<String> dns, Set<String> ips) {
        return new CertificateRequest(id, issuer, commonName, organizations, dns, ips, usages);
    }

    public CertificateRequest withUsages(Usage... newUsages) {
        return new CertificateRequest(id, issuer, commonName, organizations, dnsNames, ipAddresses, Set.of(newUsages));
    }

    /** Extended key usages hardway issues. */
    public enum Usage {
        SERVER_AUTH, CLIENT_AUTH
    }
}
