package dev.hardway.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate and its private key, as persisted under {@code <id>.crt} and {@code <id>.key}. */
public record IssuedCertificate(String id, X509Certificate certificate, PrivateKey key) {

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    public String keyPem() {
        return Pem.encode(key);
    }

    @Override
    public String toString() {
        // never the key
        return "IssuedCertificate[" + id + ", " + certificate.getSubjectX500Principal() + "]";
    }
}
