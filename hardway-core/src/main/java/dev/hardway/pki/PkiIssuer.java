package dev.hardway.pki;

import dev.hardway.io.FileModes;
import dev.hardway.io.FileTransaction;
import dev.hardway.io.WorkQueue;
import dev.hardway.model.KeyAlgorithm;
import dev.hardway.model.PkiChange;
import dev.hardway.model.PkiStateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issues a {@link PkiPlan} against the state of a PKI directory: reuses what still fits, re-issues what does not
 * (keeping the key, as kubeadm's renew does), creates what is new, and refuses to replace what cannot be replaced
 * without harm once a cluster uses it: a CA, the service-account key pair, the encryption key.
 *
 * <p>Every leaf is decided and, where needed, keyed and signed independently of the others, on all cores: with
 * RSA, key generation is nearly the whole cost of a cold run. A fixed {@link PkiPolicy#random()} still gives
 * repeatable keys, because each entry draws from its own source, seeded in plan order.
 */
public final class PkiIssuer {
    /** Warn this long before a CA expires: replacing a CA means touching every node. */
    static final Duration CA_EXPIRY_WARNING = Duration.ofDays(365);

    private final PkiPolicy policy;
    private final PkiState state;
    private final Set<String> created;
    private final Map<KeyAlgorithm, PrivateKey> placeholders = Collections.synchronizedMap(
            new EnumMap<>(KeyAlgorithm.class));
    private final AtomicInteger generatedKeys = new AtomicInteger();

    private final WrittenDigests written;

    private PkiIssuer(PkiPolicy policy, PkiState state, Set<String> created) {
        this.policy = policy;
        this.state = state;
        this.created = created;
        this.written = WrittenDigests.of(state);
    }

    /** Issues {@code plan} from {@code state}. Pure: reads nothing, writes nothing. */
    public static IssuedPki issue(PkiPlan plan, PkiState state, PkiPolicy policy) {
        return new PkiIssuer(policy, state, PkiDirectory.legacyRecorded(state, plan.ids())).run(plan);
    }

    /**
     * The earliest instant at which issuing {@code pki} again would do something that issuing it now does not:
     * re-issue a leaf entering its renewal window, or warn that a CA nears its end. Until then, a run with the same
     * inputs issues nothing and warns of nothing.
     */
    public static Instant renewalDue(IssuedPki pki, PkiPolicy policy) {
        Instant due = Instant.MAX;
        for (CertificateAuthority ca : pki.authorities()) {
            Instant warnFrom = ca.certificate().getNotAfter().toInstant().minus(CA_EXPIRY_WARNING);
            due = warnFrom.isBefore(due) ? warnFrom : due;
        }
        for (IssuedCertificate leaf : pki.certificates()) {
            Instant renewFrom = leaf.certificate().getNotAfter().toInstant().minus(policy.renewBefore());
            due = renewFrom.isBefore(due) ? renewFrom : due;
        }
        return due;
    }

    /** One entry's outcome: the value, what happened, the files to write. */
    private record Outcome<T>(T value, PkiChange change, Map<String, FileTransaction.Write> writes,
                              List<String> warnings) {
    }

    private IssuedPki run(PkiPlan plan) {
        List<SecureRandom> randoms = randoms(plan.ids().size());
        int n = 0;
        List<Outcome<CertificateAuthority>> cas = parallel(plan.authorities(), n, randoms, this::authority);
        n += plan.authorities().size();
        Map<String, CertificateAuthority> authorities = new LinkedHashMap<>();
        cas.forEach(o -> authorities.put(o.value().id(), o.value()));

        // everything else in one queue, so no core waits at a barrier while the other finishes a key; the
        // service-account pair and the secrets first, each leaf still drawing the random source of its plan index
        List<Map.Entry<String, Integer>> secretSpecs = List.copyOf(plan.secrets().entrySet());
        int leafCount = plan.certificates().size();
        int pairCount = plan.keyPairs().size();
        int leafOffset = n;
        int pairOffset = leafOffset + leafCount;
        int secretOffset = pairOffset + pairCount;
        List<Outcome<?>> rest = new WorkQueue().map(pairCount + secretSpecs.size() + leafCount, j -> {
            if (j < pairCount) {
                return keyPair(plan.keyPairs().get(j), randoms.get(pairOffset + j));
            }
            if (j < pairCount + secretSpecs.size()) {
                int i = j - pairCount;
                return secret(secretSpecs.get(i), randoms.get(secretOffset + i));
            }
            int i = j - pairCount - secretSpecs.size();
            CertificateRequest request = plan.certificates().get(i);
            return leaf(request, authorities.get(request.issuer()), randoms.get(leafOffset + i));
        });
        List<Outcome<KeyPair>> pairs = cast(rest.subList(0, pairCount));
        List<Outcome<PkiSecret>> secrets = cast(rest.subList(pairCount, pairCount + secretSpecs.size()));
        List<Outcome<IssuedCertificate>> leaves = cast(rest.subList(pairCount + secretSpecs.size(), rest.size()));

        List<PkiChange> changes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        SortedMap<String, FileTransaction.Write> writes = new TreeMap<>();
        Map<String, IssuedCertificate> certificates = new HashMap<>();
        Map<String, KeyPair> keyPairs = new HashMap<>();
        Map<String, PkiSecret> secretValues = new HashMap<>();
        List<Outcome<?>> all = new ArrayList<>(cas);
        all.addAll(leaves);
        all.addAll(pairs);
        all.addAll(secrets);
        for (Outcome<?> o : all) {
            changes.add(o.change());
            warnings.addAll(o.warnings());
            writes.putAll(o.writes());
        }
        for (int i = 0; i < leaves.size(); i++) {
            certificates.put(plan.certificates().get(i).id(), leaves.get(i).value());
        }
        for (int i = 0; i < pairs.size(); i++) {
            keyPairs.put(plan.keyPairs().get(i), pairs.get(i).value());
        }
        secrets.forEach(o -> secretValues.put(o.value().id(), o.value()));
        RetiredLeaves retired = RetiredLeaves.of(state, plan, authorities.values());
        changes.addAll(retired.changes());
        warnings.addAll(retired.warnings());
        SortedSet<String> deletes = new TreeSet<>(retired.deletes());

        if (policy.algorithm() == KeyAlgorithm.RSA_2048) {
            OptimizingCompiler.rsaWarning(generatedKeys.get()).ifPresent(warnings::add);
        }
        List<String> loose = new ArrayList<>(state.loose().keySet());
        state.loose().forEach((name, mode) -> warnings.add(name + " in " + state.root() + " was readable by others ("
                + mode + "); hardway sets it to rw------- (0600)"));
        String manifest = PkiState.manifest(plan.ids().stream()
                .filter(id -> !id.isEmpty()).collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
        if (!writes.isEmpty() || !state.has(PkiDirectory.MANIFEST)
                || !state.text(PkiDirectory.MANIFEST).orElse("").equals(manifest)) {
            writes.put(PkiDirectory.MANIFEST, new FileTransaction.Write(manifest.getBytes(StandardCharsets.UTF_8),
                    FileModes.PUBLIC));
        }
        byte[] digests = written.text(certificatesAndKeys(plan, writes));
        if (!WrittenDigests.unchanged(state, digests)) {
            writes.put(PkiDirectory.DIGESTS, new FileTransaction.Write(digests, FileModes.PUBLIC));
        }
        if (policy.keyAccess() == PkiPolicy.KeyAccess.CERTIFICATES_ONLY) {
            writes.clear(); // rendered from stand-in keys: never to be persisted
            deletes.clear();
            loose.clear();
        }
        return new IssuedPki(plan, authorities, certificates, keyPairs, secretValues, changes, warnings, writes,
                deletes, loose);
    }

    /** Every certificate and key file of the plan as the directory holds it after this run's writes. */
    private SortedMap<String, byte[]> certificatesAndKeys(PkiPlan plan,
                                                          SortedMap<String, FileTransaction.Write> writes) {
        SortedMap<String, byte[]> out = new TreeMap<>();
        List<String> ids = new ArrayList<>(plan.authorities().stream().map(PkiPlan.Authority::id).toList());
        plan.certificates().forEach(c -> ids.add(c.id()));
        ids.addAll(plan.keyPairs());
        for (String id : ids) {
            for (String name : List.of(id + ".crt", id + ".key", id + ".pub")) {
                FileTransaction.Write w = writes.get(name);
                byte[] bytes = w != null ? w.content() : state.bytes(name).orElse(null);
                if (bytes != null) {
                    out.put(name, bytes);
                }
            }
        }
        return out;
    }

    /** Applies {@code work} to every item on all cores, each with its own random source, keeping the order. */
    private static <I, T> List<Outcome<T>> parallel(List<I> items, int offset, List<SecureRandom> randoms,
                                                     java.util.function.BiFunction<I, SecureRandom, Outcome<T>> work) {
        return new WorkQueue().map(items.size(), i -> work.apply(items.get(i), randoms.get(offset + i)));
    }

    /** The queue's results of one kind, which the index ranges above guarantee. */
    @SuppressWarnings("unchecked")
    private static <T> List<Outcome<T>> cast(List<Outcome<?>> outcomes) {
        return (List<Outcome<T>>) (List<?>) outcomes;
    }

    private List<SecureRandom> randoms(int count) {
        if (policy.random() == null) {
            SecureRandom shared = new SecureRandom(); // thread-safe; the platform's strong source
            return Collections.nCopies(count, shared);
        }
        List<SecureRandom> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] seed = new byte[32];
            policy.random().nextBytes(seed);
            out.add(seeded(seed));
        }
        return out;
    }

    private static SecureRandom seeded(byte[] seed) {
        try {
            // seeded before its first use, SHA1PRNG is deterministic: what a fixed request random promises
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is part of every Java platform", e);
        }
    }

    private Instant now() {
        return policy.clock().instant();
    }

    private boolean keyOptional() {
        return policy.keyAccess() == PkiPolicy.KeyAccess.CERTIFICATES_ONLY;
    }

    /** A throwaway key of the certificate's type, standing in for a private key this run may not read. */
    private PrivateKey placeholderFor(PublicKey publicKey, SecureRandom random) {
        KeyAlgorithm type = Keys.isOf(publicKey, KeyAlgorithm.ECDSA_P256) ? KeyAlgorithm.ECDSA_P256
                : KeyAlgorithm.RSA_2048;
        return placeholders.computeIfAbsent(type, t -> Keys.generate(t, random).getPrivate());
    }

    private static Map<String, FileTransaction.Write> files(Object... nameContentSecret) {
        Map<String, FileTransaction.Write> out = new LinkedHashMap<>();
        for (int i = 0; i < nameContentSecret.length; i += 3) {
            byte[] bytes = nameContentSecret[i + 1] instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : (byte[]) nameContentSecret[i + 1];
            out.put((String) nameContentSecret[i], new FileTransaction.Write(bytes,
                    (Boolean) nameContentSecret[i + 2] ? FileModes.PRIVATE : FileModes.PUBLIC));
        }
        return out;
    }

    private String restoreAdvice(String id, String what) {
        return "restore " + what + " from backup. To create a new one on purpose, remove the line '" + id + "' from "
                + state.root().resolve(PkiDirectory.MANIFEST);
    }

    // --- CAs -------------------------------------------------------------------------------------------------

    private Outcome<CertificateAuthority> authority(PkiPlan.Authority a, SecureRandom random) {
        String id = a.id();
        String crtName = id + ".crt";
        String keyName = id + ".key";
        Optional<String> crt = state.text(crtName);
        Optional<String> key = state.text(keyName);
        if (crt.isEmpty() && key.isEmpty()) {
            if (created.contains(id)) {
                throw new PkiStateException(PkiStateException.Reason.MISSING, state.root().resolve(crtName),
                        "the CA " + id + " is missing from " + state.root() + " (" + crtName + " and "
                        + keyName + "), but every certificate there and every node trusts it; hardway never "
                        + "replaces a CA on its own: " + restoreAdvice(id, "both files")
                        + " (then reinstall every node)");
            }
            KeyPair pair = newKeyPair(random);
            X509Certificate cert = new CertificateSigner(random).selfSignedCa(a.commonName(), pair, now(),
                    policy.caValidity());
            CertificateAuthority ca = new CertificateAuthority(id, cert, pair.getPrivate());
            return new Outcome<>(ca, new PkiChange(id, PkiChange.Action.CREATED, ""),
                    files(crtName, ca.asIssued().certificatePem(), false, keyName, ca.asIssued().keyPem(), true),
                    List.of());
        }
        if (crt.isPresent() && key.isEmpty() && keyOptional()) {
            return loadAuthority(id, crt.get(), null, random);
        }
        if (crt.isEmpty() || key.isEmpty()) {
            String missing = crt.isEmpty() ? crtName : keyName;
            throw new PkiStateException(PkiStateException.Reason.MISSING, state.root().resolve(missing),
                    "the CA in " + state.root() + " is incomplete: " + missing + " is missing. "
                    + "hardway never replaces a CA on its own, because every node trusts it; restore " + missing
                    + " from backup, or move both " + crtName + " and " + keyName + " away and remove the line '"
                    + id + "' from " + PkiDirectory.MANIFEST + " to create a new CA");
        }
        return loadAuthority(id, crt.get(), key.get(), random);
    }

    private Outcome<CertificateAuthority> loadAuthority(String id, String crtPem, String keyPem, SecureRandom random) {
        X509Certificate cert;
        PrivateKey key;
        try {
            cert = Pem.certificate(crtPem);
        } catch (IOException e) {
            throw damaged(id + ".crt", e, "the CA " + id + ", which every node trusts");
        }
        if (!selfSigned(cert)) {
            // a changed byte the parser does not notice (a date, a name, the signature itself) breaks the signature
            throw damaged(id + ".crt", new IOException("not a self-signed certificate: its signature does not verify "
                    + "with its own key"), "the CA " + id + ", which every node trusts");
        }
        try {
            key = keyPem == null ? placeholderFor(cert.getPublicKey(), random) : Pem.privateKey(keyPem);
        } catch (IOException e) {
            throw damaged(id + ".key", e, "the CA " + id + ", which every node trusts");
        }
        if (keyPem != null && !Keys.matches(key, cert.getPublicKey())) {
            throw new PkiStateException(PkiStateException.Reason.MISMATCHED,
                    state.root().resolve(id + ".key"), id + ".key in " + state.root() + " does not belong to " + id
                    + ".crt; "
                    + "restore the matching pair from backup");
        }
        if (cert.getBasicConstraints() < 0) {
            throw new PkiStateException(PkiStateException.Reason.NOT_A_CA,
                    state.root().resolve(id + ".crt"), id + ".crt in " + state.root() + " is not a CA certificate");
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        if (!notAfter.isAfter(now())) {
            throw new PkiStateException(PkiStateException.Reason.EXPIRED,
                    state.root().resolve(id + ".crt"), "the CA " + id + " in " + state.root() + " expired on "
                    + notAfter
                    + "; rotating a CA touches every node and is not done silently: move " + id + ".crt and "
                    + id + ".key away and remove '" + id + "' from " + PkiDirectory.MANIFEST
                    + " to create a new one, then reinstall every node");
        }
        List<String> warnings = notAfter.isBefore(now().plus(CA_EXPIRY_WARNING))
                ? List.of("the CA " + id + " expires on " + notAfter + "; plan its rotation: every node must "
                + "trust the new CA before the old one expires")
                : List.of();
        return new Outcome<>(new CertificateAuthority(id, cert, key), new PkiChange(id, PkiChange.Action.REUSED, ""),
                Map.of(), warnings);
    }

    // --- leaves ----------------------------------------------------------------------------------------------

    private Outcome<IssuedCertificate> leaf(CertificateRequest request, CertificateAuthority ca, SecureRandom random) {
        String crtName = request.id() + ".crt";
        String keyName = request.id() + ".key";
        Optional<String> crtPem = state.text(crtName);
        Optional<String> keyPem = state.text(keyName);
        X509Certificate existing = null;
        PrivateKey existingKey = null;
        try {
            existing = crtPem.isPresent() ? Pem.certificate(crtPem.get()) : null;
            existingKey = keyPem.isPresent() ? Pem.privateKey(keyPem.get()) : null;
        } catch (IOException unreadable) {
            // an unreadable leaf is simply issued again; only CAs and long-lived keys are precious
        }
        // the pair as the last run wrote and checked it, or checked now: the key is the certificate's, and the CA's
        // signature still verifies (a changed byte the parser does not notice breaks it)
        boolean asWritten = written.asWritten(crtName, state.bytes(crtName).orElse(null))
                && written.asWritten(keyName, state.bytes(keyName).orElse(null));
        if (existing != null && existingKey == null && keyPem.isEmpty() && keyOptional()) {
            existingKey = placeholderFor(existing.getPublicKey(), random);
        } else if (existing != null && (existingKey == null || !asWritten
                && !(Keys.matches(existingKey, existing.getPublicKey()) && signedOrForeign(existing, ca)))) {
            existing = null;
            existingKey = null;
        }
        String why;
        try {
            why = existing == null ? (crtPem.isPresent() ? "unreadable or mismatched" : null)
                    : reasonToReissue(existing, request, ca);
        } catch (RuntimeException unreadable) {
            // a certificate the JDK reads but whose names or extensions do not decode: issued again, like one
            // that does not parse at all
            existing = null;
            existingKey = null;
            why = "unreadable or mismatched";
        }
        if (existing != null && why == null) {
            return new Outcome<>(new IssuedCertificate(request.id(), existing, existingKey),
                    new PkiChange(request.id(), PkiChange.Action.REUSED, ""), Map.of(), List.of());
        }
        // like kubeadm's renew, a re-issued certificate keeps its key while the key type still fits
        boolean keepKey = existing != null && Keys.isOf(existing.getPublicKey(), policy.algorithm());
        KeyPair pair = keepKey ? new KeyPair(existing.getPublicKey(), existingKey)
                : newKeyPair(random);
        X509Certificate cert = new CertificateSigner(random).leaf(request, pair.getPublic(), ca, now(),
                policy.leafValidity());
        IssuedCertificate issued = new IssuedCertificate(request.id(), cert, pair.getPrivate());
        Map<String, FileTransaction.Write> writes = keepKey ? files(crtName, issued.certificatePem(), false)
                : files(crtName, issued.certificatePem(), false, keyName, issued.keyPem(), true);
        PkiChange change = why == null ? new PkiChange(request.id(), PkiChange.Action.CREATED, "")
                : new PkiChange(request.id(), PkiChange.Action.REISSUED, why);
        return new Outcome<>(issued, change, writes, List.of());
    }

    private String reasonToReissue(X509Certificate cert, CertificateRequest request, CertificateAuthority ca) {
        if (!Keys.issuedBy(cert, ca.certificate())) {
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
        if (!Keys.isOf(cert.getPublicKey(), policy.algorithm())) {
            return "key algorithm changed to " + policy.algorithm().specName();
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        if (notAfter.isBefore(now().plus(policy.renewBefore()))) {
            return "expires " + notAfter + ", within the " + policy.renewBefore().toDays() + "-day renewal window";
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

    /** A key pair of the policy's type, counted: stand-in keys for absent ones are not. */
    private KeyPair newKeyPair(SecureRandom random) {
        generatedKeys.incrementAndGet();
        return Keys.generate(policy.algorithm(), random);
    }

    // --- key pairs and secrets -------------------------------------------------------------------------------

    private Outcome<KeyPair> keyPair(String id, SecureRandom random) {
        Optional<String> keyPem = state.text(id + ".key");
        Optional<String> pubPem = state.text(id + ".pub");
        if (keyPem.isEmpty() && pubPem.isEmpty()) {
            if (created.contains(id)) {
                throw new PkiStateException(PkiStateException.Reason.MISSING,
                        state.root().resolve(id + ".key"), "the key pair " + id + " (" + id + ".key, " + id
                        + ".pub) is missing from "
                        + state.root() + "; everything signed with it (every service-account token) stops working "
                        + "if it is replaced: " + restoreAdvice(id, "both files"));
            }
            KeyPair pair = newKeyPair(random);
            return new Outcome<>(pair, new PkiChange(id, PkiChange.Action.CREATED, ""),
                    files(id + ".key", Pem.encode(pair.getPrivate()), true, id + ".pub", Pem.encode(pair.getPublic()),
                            false), List.of());
        }
        if (pubPem.isEmpty() || keyPem.isEmpty() && !keyOptional()) {
            String missing = id + (pubPem.isEmpty() ? ".pub" : ".key");
            throw new PkiStateException(PkiStateException.Reason.MISSING, state.root().resolve(missing),
                    missing + " of the key pair " + id + " is missing from " + state.root() + "; everything signed "
                    + "with it (every service-account token) stops working if it is replaced: "
                    + restoreAdvice(id, missing));
        }
        String signed = "the key pair " + id + ", whose signatures every service-account token carries";
        PublicKey pub;
        try {
            pub = Pem.publicKey(pubPem.get());
        } catch (IOException e) {
            throw damaged(id + ".pub", e, signed);
        }
        if (keyPem.isEmpty() && keyOptional()) {
            return new Outcome<>(new KeyPair(pub, placeholderFor(pub, random)),
                    new PkiChange(id, PkiChange.Action.REUSED, ""), Map.of(), List.of());
        }
        PrivateKey key;
        try {
            key = Pem.privateKey(keyPem.get());
        } catch (IOException e) {
            throw damaged(id + ".key", e, signed);
        }
        if (!Keys.matches(key, pub)) {
            throw new PkiStateException(PkiStateException.Reason.MISMATCHED, state.root().resolve(id + ".key"),
                    id + ".key and " + id + ".pub in " + state.root() + " do not belong together; they are "
                    + signed + ", never made anew on their own: restore the matching pair from backup");
        }
        return new Outcome<>(new KeyPair(pub, key), new PkiChange(id, PkiChange.Action.REUSED, ""), Map.of(),
                List.of());
    }

    private static boolean selfSigned(X509Certificate cert) {
        return cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal()) && verifies(cert, cert);
    }

    /** Signed by {@code ca}, or naming another issuer: reasonToReissue says so, the key may be kept. */
    private static boolean signedOrForeign(X509Certificate cert, CertificateAuthority ca) {
        return !Keys.issuedBy(cert, ca.certificate()) || verifies(cert, ca.certificate());
    }

    private static boolean verifies(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** A file of what hardway never replaces on its own, unreadable: name it, say why it matters, and what to do. */
    private PkiStateException damaged(String file, IOException e, String what) {
        Path path = state.root().resolve(file);
        return new PkiStateException(PkiStateException.Reason.DAMAGED, path, path + " is damaged (" + e.getMessage()
                + "): it holds " + what + ", so hardway does not make it anew; restore " + file + " from backup", e);
    }

    private Outcome<PkiSecret> secret(Map.Entry<String, Integer> spec, SecureRandom random) {
        String id = spec.getKey();
        int length = spec.getValue();
        String fingerprintName = id + ".sha256";
        Optional<byte[]> existing = state.bytes(id);
        Optional<String> fingerprint = state.text(fingerprintName).map(String::strip);
        if (existing.isPresent()) {
            byte[] bytes = existing.get();
            if (bytes.length != length) {
                throw new PkiStateException(PkiStateException.Reason.DAMAGED, state.root().resolve(id),
                        id + " in " + state.root() + " has " + bytes.length + " bytes, not " + length
                        + ": it is damaged. A new one would make everything encrypted with it unreadable (every "
                        + "Secret in etcd): " + restoreAdvice(id, id));
            }
            PkiSecret secret = PkiSecret.of(id, bytes);
            if (fingerprint.isPresent() && !fingerprint.get().equals(secret.sha256())) {
                throw new PkiStateException(PkiStateException.Reason.MISMATCHED, state.root().resolve(id),
                        id + " in " + state.root() + " does not match " + fingerprintName
                        + ": the file was replaced or damaged; " + restoreAdvice(id, id));
            }
            Map<String, FileTransaction.Write> writes = fingerprint.isPresent() ? Map.of()
                    : files(fingerprintName, secret.sha256() + "\n", false);
            return new Outcome<>(secret, new PkiChange(id, PkiChange.Action.REUSED, ""), writes, List.of());
        }
        if (keyOptional() && fingerprint.isPresent() && PkiSecret.isHex(fingerprint.get())) {
            byte[] standIn = new byte[length];
            random.nextBytes(standIn);
            return new Outcome<>(new PkiSecret(id, standIn, fingerprint.get()),
                    new PkiChange(id, PkiChange.Action.REUSED, ""), Map.of(), List.of());
        }
        if (created.contains(id)) {
            throw new PkiStateException(PkiStateException.Reason.MISSING, state.root().resolve(id),
                    id + " is missing from " + state.root() + "; a new one would make everything "
                    + "encrypted with it unreadable (every Secret in etcd): " + restoreAdvice(id, id));
        }
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        PkiSecret secret = PkiSecret.of(id, bytes);
        return new Outcome<>(secret, new PkiChange(id, PkiChange.Action.CREATED, ""),
                files(id, bytes, true, fingerprintName, secret.sha256() + "\n", false), List.of());
    }
}
