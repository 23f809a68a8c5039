package dev.hardway.pki;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Creates CA and leaf certificates with BouncyCastle, with the extensions kubeadm's certificates carry. */
final class CertificateSigner {

    /** Certificates start a little in the past so that hosts whose clocks lag slightly accept them at once. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final SecureRandom random;

    CertificateSigner(SecureRandom random) {
        this.random = random;
    }

    X509Certificate selfSignedCa(String commonName, KeyPair keys, Instant now, Duration validity) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(subject, subject, keys.getPublic(), now, validity);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(b, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create CA certificate " + commonName, e);
        }
    }

    X509Certificate leaf(CertificateRequest request, PublicKey key, CertificateAuthority ca, Instant now,
                         Duration validity) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        // O before CN, as openssl and kubeadm print them
        for (String o : request.organizations()) {
            name.addRDN(BCStyle.O, o);
        }
        // As a UTF8String, so BouncyCastle does not apply RFC 5280's ub-common-name (64): the Node authorizer
        // needs exactly system:node:<name>, 75 characters for a 63-character node name, and kubeadm and the
        // kubelet's own CSRs issue that CN too; every TLS stack Kubernetes uses reads it.
        name.addRDN(BCStyle.CN, new DERUTF8String(request.commonName()));
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(issuer, name.build(), key, now, validity);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // keyEncipherment only where RSA key transport is possible
            int usage = KeyUsage.digitalSignature | (key instanceof RSAKey ? KeyUsage.keyEncipherment : 0);
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes(request)));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            // the CA's public key, not its certificate: a keyid-only AKI, as RFC 5280 recommends
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(ca.certificate().getPublicKey()));
            List<GeneralName> sans = new ArrayList<>();
            request.dnsNames().forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
            request.ipAddresses().forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return sign(b, ca.key());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue certificate " + request.id(), e);
        }
    }

    private static KeyPurposeId[] purposes(CertificateRequest request) {
        return request.usages().stream().sorted()
                .map(u -> u == CertificateRequest.Usage.SERVER_AUTH ? KeyPurposeId.id_kp_serverAuth
                        : KeyPurposeId.id_kp_clientAuth)
                .toArray(KeyPurposeId[]::new);
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant now,
                                             Duration validity) {
        // 159 random bits with the top one set: positive, unpredictable and at most 20 octets (RFC 5280)
        BigInteger serial = new BigInteger(159, random).setBit(158);
        Instant notBefore = now.minus(BACKDATE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                Date.from(now.plus(validity)), subject, key);
    }

    /** ECDSA through {@link P256}; RSA through the JDK, whose BigInteger arithmetic is the fastest there is here. */
    private ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return key instanceof ECPrivateKey ec ? P256.signer(ec, random)
                : new JcaContentSignerBuilder(Keys.signatureAlgorithm(key)).build(key);
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(signer(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
