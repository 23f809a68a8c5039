package dev.hardway.pki;

import dev.hardway.model.KeyAlgorithm;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/** Key generation and the facts about keys that reuse decisions and descriptions need. */
final class Keys {
    private Keys() {
    }

    static KeyPair generate(KeyAlgorithm algorithm, SecureRandom random) {
        try {
            return switch (algorithm) {
                case RSA_2048 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048, random);
                    yield g.generateKeyPair();
                }
                case ECDSA_P256 -> P256.generate(random);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + algorithm + " keys", e);
        }
    }

    static boolean isOf(PublicKey key, KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case RSA_2048 -> key instanceof RSAKey rsa && rsa.getModulus().bitLength() == 2048;
            case ECDSA_P256 -> key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256;
        };
    }

    /** The JCA signature algorithm a CA with this key signs with. */
    static String signatureAlgorithm(PrivateKey caKey) {
        return caKey instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** "RSA 2048" or "ECDSA P-256", for descriptions. */
    static String describe(PublicKey key) {
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (key instanceof ECKey ec) {
            return "ECDSA P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        return key.getAlgorithm();
    }

    /**
     * Whether a private key belongs to a public key. Computed, not probed with a signature: a warm run checks
     * thousands of pairs. RSA: the CRT key carries its modulus and public exponent. EC: the public point is the
     * private scalar times the generator, one fixed-base multiplication.
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey pub) {
            return rsa.getModulus().equals(pub.getModulus()) && rsa.getPublicExponent().equals(pub.getPublicExponent());
        }
        if (key instanceof ECPrivateKey ec && publicKey instanceof ECPublicKey pub && isP256(pub)) {
            return P256.matches(ec, pub);
        }
        return probe(key, publicKey);
    }

    private static boolean isP256(ECPublicKey key) {
        return key.getParams().getCurve().getField().getFieldSize() == 256;
    }

    private static boolean probe(PrivateKey key, PublicKey publicKey) {
        try {
            Signature s = Signature.getInstance(signatureAlgorithm(key));
            s.initSign(key);
            byte[] probe = "hardway key match".getBytes(StandardCharsets.UTF_8);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(publicKey);
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Whether {@code cert} was issued by {@code ca}: same issuer name, and its authority key identifier is the
     * CA's subject key identifier. A CA re-created under the same name has a new key and so a new identifier.
     * Only a certificate without identifiers (not one hardway wrote) is checked by its signature.
     */
    static boolean issuedBy(X509Certificate cert, X509Certificate ca) {
        if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        byte[] aki = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        byte[] ski = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (aki != null && ski != null) {
            try {
                byte[] keyId = AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(aki))
                        .getKeyIdentifier();
                byte[] caKeyId = SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ski))
                        .getKeyIdentifier();
                if (keyId != null) {
                    return Arrays.equals(keyId, caKeyId);
                }
            } catch (IOException | IllegalArgumentException unreadable) {
                return false;
            }
        }
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
