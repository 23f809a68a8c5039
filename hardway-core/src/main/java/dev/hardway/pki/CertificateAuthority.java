package dev.hardway.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A CA certificate with its key. The key stays inside hardway's PKI directory and the controllers that sign with
 * it; it never enters a worker bundle.
 */
public record CertificateAuthority(String id, IssuedCertificate asIssued) {

    public CertificateAuthority(String id, X509Certificate certificate, PrivateKey key) {
        this(id, new IssuedCertificate(id, certificate, key));
    }

    public X509Certificate certificate() {
        return asIssued.certificate();
    }

    public PrivateKey key() {
        return asIssued.key();
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + id + ", " + certificate().getSubjectX500Principal() + "]";
    }
}
