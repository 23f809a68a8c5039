package dev.hardway.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** PEM in and out: certificates, PKCS#8 private keys ({@code PRIVATE KEY}) and SubjectPublicKeyInfo public keys. */
public final class Pem {
    private Pem() {
    }

    public static String encode(Object object) {
        // Certificates and private keys, thousands per run, are framed here as BouncyCastle's PemWriter frames
        // them (64-column base64, '\n'), from the same DER: without a writer, a PEM generator and a JCA lookup each.
        try {
            if (object instanceof X509Certificate cert) {
                // what JcaMiscPEMGenerator encodes: the DER of X509CertificateHolder(cert.getEncoded())
                return frame("CERTIFICATE", new X509CertificateHolder(cert.getEncoded()).getEncoded());
            }
            if (object instanceof PrivateKey key) {
                // what JcaPKCS8Generator(key, null) encodes: the PrivateKeyInfo of the key's PKCS#8 encoding
                return frame("PRIVATE KEY", PrivateKeyInfo.getInstance(key.getEncoded()).getEncoded());
            }
        } catch (IOException | CertificateEncodingException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
        return write(object);
    }

    private static String frame(String type, byte[] der) {
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder out = new StringBuilder(base64.length() + base64.length() / 64 + 2 * type.length() + 40);
        out.append("-----BEGIN ").append(type).append("-----\n");
        for (int i = 0; i < base64.length(); i += LINE) {
            out.append(base64, i, Math.min(base64.length(), i + LINE)).append('\n');
        }
        return out.append("-----END ").append(type).append("-----\n").toString();
    }

    private static final int LINE = 64;

    /** BouncyCastle's own PEM writer, for anything else (public keys), and as the reference the framing keeps to. */
    static String write(Object object) {
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
        try {
            // the JDK's factory reads the PEM text itself (RFC 7468): one parse, where BouncyCastle's PEMParser
            // would decode and parse the DER into a holder first, for the factory to parse it again
            return (X509Certificate) CERTIFICATES.get().generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | RuntimeException e) {
            // the parser's own words name Java classes ("java.io.IOException: ..."); a user is told what it is not
            throw new IOException("not a readable PEM certificate", e);
        }
    }

    /** Factories are not promised to be thread-safe; the issuer reads certificates on all cores. */
    private static final ThreadLocal<CertificateFactory> CERTIFICATES = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is part of every Java platform", e);
        }
    });

    public static PrivateKey privateKey(String pem) throws IOException {
        Object o = read(pem, "private key");
        PrivateKeyInfo info = o instanceof PrivateKeyInfo i ? i : o instanceof PEMKeyPair pair
                ? pair.getPrivateKeyInfo() : null;
        if (info == null) {
            throw new IOException("not a PEM private key");
        }
        // JcaPEMKeyConverter.getPrivateKey, with the key factory it finds kept per thread: it looks one up per key,
        // and for EC first asks every provider for "ECDSA", which the JDK's do not offer, then for "EC"
        try {
            return KEY_FACTORIES.get().computeIfAbsent(info.getPrivateKeyAlgorithm().getAlgorithm(), Pem::keyFactory)
                    .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (Exception e) {
            throw new IOException("not a readable PEM private key", e);
        }
    }

    private static final ThreadLocal<Map<ASN1ObjectIdentifier, KeyFactory>> KEY_FACTORIES =
            ThreadLocal.withInitial(HashMap::new);

    /** The factory JcaPEMKeyConverter picks for a key algorithm. */
    private static KeyFactory keyFactory(ASN1ObjectIdentifier algorithm) {
        String name = algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey) ? "ECDSA"
                : algorithm.equals(PKCSObjectIdentifiers.rsaEncryption) ? "RSA"
                : algorithm.equals(X9ObjectIdentifiers.id_dsa) ? "DSA" : algorithm.getId();
        try {
            return KeyFactory.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            if (name.equals("ECDSA")) {
                try {
                    return KeyFactory.getInstance("EC");
                } catch (NoSuchAlgorithmException noEc) {
                    throw new IllegalArgumentException(noEc.getMessage(), noEc);
                }
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static PublicKey publicKey(String pem) throws IOException {
        Object o = read(pem, "public key");
        if (o instanceof SubjectPublicKeyInfo info) {
            try {
                return new JcaPEMKeyConverter().getPublicKey(info);
            } catch (IOException | RuntimeException e) {
                throw new IOException("not a readable PEM public key", e);
            }
        }
        throw new IOException("not a PEM public key");
    }

    /** The first PEM object; damage (cut short, bad base64, bad DER) in words, the parser's exception as the cause. */
    private static Object read(String pem, String what) throws IOException {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a readable PEM " + what, e);
        }
        if (o == null) {
            throw new IOException("no PEM " + what + " in it");
        }
        return o;
    }
}
