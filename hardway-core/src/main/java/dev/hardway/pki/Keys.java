package dev.hardway.pki;

import dev.hardway.model.KeyAlgorithm;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;

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
                case ECDSA_P256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), random);
                    yield g.generateKeyPair();
                }
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
}
