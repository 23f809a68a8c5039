package dev.hardway.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** P-256 made with BouncyCastle's lightweight API is the JDK's P-256: its keys, its signatures. */
class P256Test {
    private final SecureRandom random = new SecureRandom();

    @Test
    void generatedKeys_areJdkKeysOnTheNamedCurve_thatRoundTripThroughTheirEncodings() throws Exception {
        KeyPair pair = P256.generate(random);

        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        assertEquals(256, pub.getParams().getCurve().getField().getFieldSize());
        KeyFactory jdk = KeyFactory.getInstance("EC");
        assertEquals(pub, jdk.generatePublic(new X509EncodedKeySpec(pub.getEncoded())));
        ECPrivateKey key = (ECPrivateKey) jdk.generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded()));
        assertEquals(((ECPrivateKey) pair.getPrivate()).getS(), key.getS());
        assertTrue(P256.matches(key, pub));
        assertFalse(P256.matches(key, (ECPublicKey) P256.generate(random).getPublic()));
    }

    @Test
    void signatures_verifyWithTheJdkProvider_andDifferEachTime() throws Exception {
        KeyPair pair = P256.generate(random);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=test"),
                BigInteger.ONE, Date.from(now), Date.from(now.plusSeconds(60)), new X500Name("CN=test"),
                pair.getPublic());

        X509CertificateHolder a = builder.build(P256.signer((ECPrivateKey) pair.getPrivate(), random));
        X509CertificateHolder b = builder.build(P256.signer((ECPrivateKey) pair.getPrivate(), random));

        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(a);
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        cert.verify(pair.getPublic()); // the JDK's SunEC checks the signature
        Signature tampered = Signature.getInstance("SHA256withECDSA");
        tampered.initVerify(pair.getPublic());
        byte[] tbs = cert.getTBSCertificate();
        tbs[tbs.length - 1] ^= 1;
        tampered.update(tbs);
        assertFalse(tampered.verify(cert.getSignature()));
        // a fresh nonce per signature: two signatures of the same certificate differ
        assertFalse(java.util.Arrays.equals(a.getSignature(), b.getSignature()));
    }
}
