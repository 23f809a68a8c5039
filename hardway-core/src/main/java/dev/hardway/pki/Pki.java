package dev.hardway.pki;

import dev.hardway.model.KeyAlgorithm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One run's view of the persisted PKI. Everything it decides (reuse, issue, re-issue) happens in memory;
 * {@link #commit()} writes the new files at the end, so a run that fails midway leaves the PKI directory as it was.
 *
 * <p>An existing CA is used as it is or the run fails: a CA is never replaced behind the user's back, because
 * every node trusts it.
 */
public final class Pki {
    /** Warn this long before a CA expires: replacing a CA means touching every node. */
    static final Duration CA_EXPIRY_WARNING = Duration.ofDays(365);

    private final PkiDirectory directory;
    private final KeyAlgorithm algorithm;
    private final Duration caValidity;
    private final Duration leafValidity;
    private final Duration renewBefore;
    private final Clock clock;
    private final SecureRandom random;
    private final CertificateSigner signer;

    private final Map<String, CertificateAuthority> authorities = new LinkedHashMap<>();
    private final Map<String, IssuedCertificate> certificates = new LinkedHashMap<>();
    private final Map<String, KeyPair> keyPairs = new LinkedHashMap<>();
    private final KeyAccess keyAccess;
    private final Map<String, PrivateKey> placeholders = new LinkedHashMap<>();
    private final Map<String, PkiChange> changes = new LinkedHashMap<>();
    private final Map<String, PendingFile> pending = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param directory    where the PKI persists
     * @param algorithm    key type of newly generated keys
     * @param caValidity   validity of a newly created CA
     * @param leafValidity validity of a newly issued leaf certificate
     * @param renewBefore  a leaf expiring within this window is re-issued
     * @param clock        "now" for validity checks and new certificates
     * @param random       source of keys and serial numbers
     */
    public Pki(PkiDirectory directory, KeyAlgorithm algorithm, Duration caValidity, Duration leafValidity,
               Duration renewBefore, Clock clock, SecureRandom random) {
        this(directory, algorithm, caValidity, leafValidity, renewBefore, clock, random, KeyAccess.FULL);
    }

    /**
     * As above, choosing whether private keys must be present.
     *
     * @param keyAccess {@link KeyAccess#CERTIFICATES_ONLY} lets a run work from the public half of the PKI alone
     */
    public Pki(PkiDirectory directory, KeyAlgorithm algorithm, Duration caValidity, Duration leafValidity,
               Duration renewBefore, Clock clock, SecureRandom random, KeyAccess keyAccess) {
        this.keyAccess = keyAccess;
        this.directory = directory;
        this.algorithm = algorithm;
        this.caValidity = caValidity;
        this.leafValidity = leafValidity;
        this.renewBefore = renewBefore;
        this.clock = clock;
        this.random = random;
        this.signer = new CertificateSigner(random);
    }

    private record PendingFile(byte[] content, boolean secret) {
    }

    /**
     * Whether a run needs the private keys. A golden-file check in CI only compares what certificates say, so it
     * can run from the committed certificates while the keys stay in the secret store.
     */
    public enum KeyAccess {
        /** Keys are read and checked against their certificates; a missing CA key is an error. */
        FULL,
        /**
         * Keys are used where present; where a key is absent its certificate is taken as it is and a throwaway
         * key stands in for it. What such a run renders must never reach a host: it is for comparison only.
         */
        CERTIFICATES_ONLY
    }

    /** A throwaway key of the certificate's type, standing in for a private key this run may not read. */
    private PrivateKey placeholderFor(PublicKey publicKey) {
        KeyAlgorithm type = Keys.isOf(publicKey, KeyAlgorithm.ECDSA_P256) ? KeyAlgorithm.ECDSA_P256
                : KeyAlgorithm.RSA_2048;
        return placeholders.computeIfAbsent(type.name(), t -> Keys.generate(type, random).getPrivate());
    }

    private boolean keyOptional() {
        return keyAccess == KeyAccess.CERTIFICATES_ONLY;
    }

    /** The CA {@code id}, loaded from the PKI directory or created there with subject {@code CN=commonName}. */
    public CertificateAuthority authority(String id, String commonName) {
        CertificateAuthority known = authorities.get(id);
        if (known != null) {
            return known;
        }
        String crtName = id + ".crt";
        String keyName = id + ".key";
        Optional<String> crt = directory.read(crtName);
        Optional<String> key = directory.read(keyName);
        CertificateAuthority ca;
        if (crt.isEmpty() && key.isEmpty()) {
            KeyPair pair = Keys.generate(algorithm, random);
            X509Certificate cert = signer.selfSignedCa(commonName, pair, now(), caValidity);
            ca = new CertificateAuthority(id, cert, pair.getPrivate());
            stage(crtName, Pem.encode(cert), false);
            stage(keyName, Pem.encode(pair.getPrivate()), true);
            changes.put(id, new PkiChange(id, PkiChange.Action.CREATED, ""));
        } else if (crt.isPresent() && key.isEmpty() && keyOptional()) {
            ca = loadAuthority(id, crt.get(), null);
            changes.put(id, new PkiChange(id, PkiChange.Action.REUSED, ""));
        } else if (crt.isEmpty() || key.isEmpty()) {
            String missing = crt.isEmpty() ? crtName : keyName;
            throw new PkiException("the CA in " + directory.root() + " is incomplete: " + missing + " is missing. "
                    + "hardway never replaces a CA on its own, because every node trusts it; restore " + missing
                    + " from backup, or move both " + crtName + " and " + keyName + " away to create a new CA");
        } else {
            ca = loadAuthority(id, crt.get(), key.get());
            changes.put(id, new PkiChange(id, PkiChange.Action.REUSED, ""));
        }
        authorities.put(id, ca);
        return ca;
    }

    private CertificateAuthority loadAuthority(String id, String crtPem, String keyPem) {
        X509Certificate cert;
        PrivateKey key;
        try {
            cert = Pem.certificate(crtPem);
            key = keyPem == null ? placeholderFor(cert.getPublicKey()) : Pem.privateKey(keyPem);
        } catch (IOException e) {
            throw new PkiException("cannot read the CA " + id + " in " + directory.root() + ": " + e.getMessage()
                    + "; restore " + id + ".crt and " + id + ".key from backup", e);
        }
        if (keyPem != null && !matches(key, cert.getPublicKey())) {
            throw new PkiException(id + ".key in " + directory.root() + " does not belong to " + id + ".crt; "
                    + "restore the matching pair from backup");
        }
        if (cert.getBasicConstraints() < 0) {
            throw new PkiException(id + ".crt in " + directory.root() + " is not a CA certificate");
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        if (!notAfter.isAfter(now())) {
            throw new PkiException("the CA " + id + " in " + directory.root() + " expired on " + notAfter
                    + "; rotating a CA touches every node and is not done silently: move " + id + ".crt and "
                    + id + ".key away to create a new one, then reinstall every node");
        }
        if (notAfter.isBefore(now().plus(CA_EXPIRY_WARNING))) {
            warnings.add("the CA " + id + " expires on " + notAfter + "; plan its rotation: every node must "
                    + "trust the new CA before the old one expires");
        }
        return new CertificateAuthority(id, cert, key);
    }

    /** A certificate for {@code request}: the persisted one when it still fits, otherwise a newly issued one. */
    public IssuedCertificate certificate(CertificateRequest request) {
        IssuedCertificate known = certificates.get(request.id());
        if (known != null) {
            return known;
        }
        CertificateAuthority ca = authorities.get(request.issuer());
        if (ca == null) {
            throw new IllegalStateException("CA " + request.issuer() + " must be loaded before " + request.id());
        }
        String crtName = request.id() + ".crt";
        String keyName = request.id() + ".key";
        Optional<String> crtPem = directory.read(crtName);
        Optional<String> keyPem = directory.read(keyName);
        X509Certificate existing = null;
        PrivateKey existingKey = null;
        try {
            existing = crtPem.isPresent() ? Pem.certificate(crtPem.get()) : null;
            existingKey = keyPem.isPresent() ? Pem.privateKey(keyPem.get()) : null;
        } catch (IOException unreadable) {
            // an unreadable leaf is simply issued again; only CAs are precious
        }
        if (existing != null && existingKey == null && keyPem.isEmpty() && keyOptional()) {
            existingKey = placeholderFor(existing.getPublicKey());
        } else if (existing != null && (existingKey == null || !matches(existingKey, existing.getPublicKey()))) {
            existing = null;
            existingKey = null;
        }
        String why = existing == null ? (crtPem.isPresent() ? "unreadable or mismatched" : null)
                : reasonToReissue(existing, request, ca);
        IssuedCertificate result;
        if (existing != null && why == null) {
            result = new IssuedCertificate(request.id(), existing, existingKey);
            changes.put(request.id(), new PkiChange(request.id(), PkiChange.Action.REUSED, ""));
        } else {
            // like kubeadm's renew, a re-issued certificate keeps its key while the key type still fits
            boolean keepKey = existing != null && Keys.isOf(existing.getPublicKey(), algorithm);
            KeyPair pair = keepKey ? new KeyPair(existing.getPublicKey(), existingKey) : Keys.generate(algorithm, random);
            X509Certificate cert = signer.leaf(request, pair.getPublic(), ca, now(), leafValidity);
            result = new IssuedCertificate(request.id(), cert, pair.getPrivate());
            stage(crtName, Pem.encode(cert), false);
            if (!keepKey) {
                stage(keyName, Pem.encode(pair.getPrivate()), true);
            }
            changes.put(request.id(), why == null
                    ? new PkiChange(request.id(), PkiChange.Action.CREATED, "")
                    : new PkiChange(request.id(), PkiChange.Action.REISSUED, why));
        }
        certificates.put(request.id(), result);
        return result;
    }

    /**
     * A persisted random secret of {@code length} bytes (an encryption key, say), created once and then reused.
     */
    public byte[] secret(String id, int length) {
        Optional<byte[]> existing = directory.readBytes(id);
        if (existing.isPresent() && existing.get().length == length) {
            changes.put(id, new PkiChange(id, PkiChange.Action.REUSED, ""));
            return existing.get();
        }
        if (pending.containsKey(id)) {
            return pending.get(id).content().clone();
        }
        byte[] secret = new byte[length];
        random.nextBytes(secret);
        pending.put(id, new PendingFile(secret.clone(), true));
        changes.put(id, new PkiChange(id, existing.isPresent() ? PkiChange.Action.REISSUED : PkiChange.Action.CREATED,
                existing.isPresent() ? "wrong length" : ""));
        return secret;
    }

    /**
     * A persisted key pair {@code <id>.key} / {@code <id>.pub} (the service-account signing key, say). Every call in
     * a run returns the same pair: each controller must sign and verify with one key.
     */
    public KeyPair keyPair(String id) {
        return keyPairs.computeIfAbsent(id, this::loadOrCreateKeyPair);
    }

    private KeyPair loadOrCreateKeyPair(String id) {
        Optional<String> keyPem = directory.read(id + ".key");
        Optional<String> pubPem = directory.read(id + ".pub");
        if (keyPem.isPresent() || pubPem.isPresent()) {
            try {
                PublicKey pub = Pem.publicKey(pubPem.orElseThrow(() -> new IOException(id + ".pub is missing")));
                if (keyPem.isEmpty() && keyOptional()) {
                    changes.put(id, new PkiChange(id, PkiChange.Action.REUSED, ""));
                    return new KeyPair(pub, placeholderFor(pub));
                }
                PrivateKey key = Pem.privateKey(keyPem.orElseThrow(() -> new IOException(id + ".key is missing")));
                if (!matches(key, pub)) {
                    throw new IOException(id + ".key and " + id + ".pub do not belong together");
                }
                changes.put(id, new PkiChange(id, PkiChange.Action.REUSED, ""));
                return new KeyPair(pub, key);
            } catch (IOException e) {
                throw new PkiException("cannot use the key pair " + id + " in " + directory.root() + ": "
                        + e.getMessage() + "; everything signed with it stops working if it is replaced, so "
                        + "restore it from backup", e);
            }
        }
        KeyPair pair = Keys.generate(algorithm, random);
        stage(id + ".key", Pem.encode(pair.getPrivate()), true);
        stage(id + ".pub", Pem.encode(pair.getPublic()), false);
        changes.put(id, new PkiChange(id, PkiChange.Action.CREATED, ""));
        return pair;
    }

    private String reasonToReissue(X509Certificate cert, CertificateRequest request, CertificateAuthority ca) {
        if (!cert.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())
                || !verifies(cert, ca.certificate().getPublicKey())) {
            return "not signed by the current " + ca.id();
        }
        CertificateRequest actual = CertificateFacts.requestOf(cert, request.id(), request.issuer());
        if (!actual.commonName().equals(request.commonName())
                || !actual.organizations().equals(request.organizations())) {
            return "subject changed";
        }
        if (!actual.dnsNames().equals(request.dnsNames()) || !actual.ipAddresses().equals(request.ipAddresses())) {
            return "subject alternative names changed: " + sanDelta(actual, request);
        }
        if (!actual.usages().equals(request.usages())) {
            return "key usages changed";
        }
        if (!Keys.isOf(cert.getPublicKey(), algorithm)) {
            return "key algorithm changed to " + algorithm.specName();
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        if (notAfter.isBefore(now().plus(renewBefore))) {
            return "expires " + notAfter + ", within the " + renewBefore.toDays() + "-day renewal window";
        }
        return null;
    }

    private static String sanDelta(CertificateRequest had, CertificateRequest wants) {
        Set<String> before = new TreeSet<>(had.dnsNames());
        before.addAll(had.ipAddresses());
        Set<String> after = new TreeSet<>(wants.dnsNames());
        after.addAll(wants.ipAddresses());
        List<String> delta = new ArrayList<>();
        after.stream().filter(s -> !before.contains(s)).forEach(s -> delta.add("+" + s));
        before.stream().filter(s -> !after.contains(s)).forEach(s -> delta.add("-" + s));
        return String.join(" ", delta);
    }

    private static boolean verifies(X509Certificate cert, PublicKey caKey) {
        try {
            cert.verify(caKey);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Whether a private key belongs to a public key, by signing and verifying a probe. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        try {
            Signature s = Signature.getInstance(Keys.signatureAlgorithm(key));
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

    private void stage(String name, String content, boolean secret) {
        pending.put(name, new PendingFile(content.getBytes(StandardCharsets.UTF_8), secret));
    }

    private Instant now() {
        return clock.instant();
    }

    /** Every CA loaded or created in this run. */
    public Collection<CertificateAuthority> authorities() {
        return List.copyOf(authorities.values());
    }

    /** Every leaf certificate used in this run, in the order it was requested. */
    public Collection<IssuedCertificate> certificates() {
        return List.copyOf(certificates.values());
    }

    /** What this run did to each PKI entry it touched. */
    public List<PkiChange> changes() {
        return List.copyOf(changes.values());
    }

    /** Things the user should act on soon (a CA nearing expiry). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Whether {@link #commit()} would write anything. */
    public boolean hasPendingWrites() {
        return !pending.isEmpty();
    }

    /** Writes every new key, certificate and secret: keys before the certificates that name them. */
    public void commit() {
        pending.entrySet().stream().sorted((a, b) -> Boolean.compare(!a.getValue().secret(), !b.getValue().secret()))
                .forEach(e -> directory.write(e.getKey(), e.getValue().content(), e.getValue().secret()));
        pending.clear();
    }

}
