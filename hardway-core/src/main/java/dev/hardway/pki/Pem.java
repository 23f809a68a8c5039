package dev.hardway.pki;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/** PEM in and out: certificates, PKCS#8 private keys ({@code PRIVATE KEY}) and SubjectPublicKeyInfo public keys. */
public final class Pem {
    private Pem() {
    }

    public static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof PrivateKey key) {
                // PKCS#8 "PRIVATE KEY" rather than the legacy per-algorithm formats: every consumer reads it
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().replace("\r\n", "\n");
    }

    public static X509Certificate certificate(String pem) throws IOException {
        Object o = read(pem);
        if (!(o instanceof X509CertificateHolder holder)) {
            throw new IOException("not a PEM certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(String pem) throws IOException {
        Object o = read(pem);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (o instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        throw new IOException("not a PEM private key");
    }

    public static PublicKey publicKey(String pem) throws IOException {
        Object o = read(pem);
        if (o instanceof SubjectPublicKeyInfo info) {
            return new JcaPEMKeyConverter().getPublicKey(info);
        }
        throw new IOException("not a PEM public key");
    }

    private static Object read(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (o == null) {
                throw new IOException("no PEM object found");
            }
            return o;
        }
    }
}
