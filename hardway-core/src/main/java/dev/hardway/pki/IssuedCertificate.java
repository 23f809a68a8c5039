package dev.hardway.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A certificate and its private key, as persisted under {@code <id>.crt} and {@code <id>.key}, with their PEM
 * encodings made once: one CA certificate is embedded in thousands of kubeconfigs.
 */
public record IssuedCertificate(String id, X509Certificate certificate, PrivateKey key, String certificatePem,
                                String keyPem) {

    public IssuedCertificate(String id, X509Certificate certificate, PrivateKey key) {
        this(id, certificate, key, Pem.encode(certificate), Pem.encode(key));
    }

    @Override
    public String toString() {
        // never the key
        return "IssuedCertificate[" + id + ", " + certificate.getSubjectX500Principal() + "]";
    }
}
