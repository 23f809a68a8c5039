package dev.hardway.pki;

import dev.hardway.model.PkiChange;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The leaf certificates an earlier run issued for what the spec no longer has (a removed worker's kubelet, a removed
 * controller's etcd pair), whose files go in the transaction that writes the manifest without them: otherwise they
 * stay forever, never renewed, and a departed node's private key with them.
 *
 * <p>Only what hardway provably made is removed: an id the previous manifest lists (read strictly, so a missing or
 * damaged manifest removes nothing), whose certificate is a leaf one of this run's CAs signed, and which has no
 * file of a key pair or a secret; its key goes only when it is that certificate's. Anything else named like it is
 * left alone, with a warning: the new manifest no longer lists it, so it is the user's to remove.
 *
 * @param deletes  file names to delete from the PKI directory
 * @param changes  one {@link PkiChange.Action#REMOVED} per id whose files go
 * @param warnings retired ids that were kept, and why
 */
record RetiredLeaves(SortedSet<String> deletes, List<PkiChange> changes, List<String> warnings) {
    static final String REASON = "no longer in the spec";

    RetiredLeaves {
        deletes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(deletes));
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
    }

    static RetiredLeaves of(PkiState state, PkiPlan plan, Collection<CertificateAuthority> authorities) {
        SortedSet<String> deletes = new TreeSet<>();
        List<PkiChange> changes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Optional<byte[]> manifest = state.bytes(PkiDirectory.MANIFEST);
        if (manifest.isEmpty()) {
            return new RetiredLeaves(deletes, changes, warnings); // a new PKI, or one from before the manifest
        }
        Optional<Set<String>> recorded = PkiManifest.intact(manifest.get());
        if (recorded.isEmpty()) {
            warnings.add(state.root().resolve(PkiDirectory.MANIFEST) + " is not as hardway writes it, so hardway "
                    + "removes no certificate of a node that left the spec; it writes the manifest anew, listing only "
                    + "what the spec needs, so remove any .crt and .key of a departed node from " + state.root()
                    + " by hand");
            return new RetiredLeaves(deletes, changes, warnings);
        }
        Set<String> retired = new TreeSet<>(recorded.get());
        retired.removeAll(new HashSet<>(plan.ids()));
        for (String id : retired) {
            String crt = id + ".crt";
            String key = id + ".key";
            if (!state.has(crt) && !state.has(key)) {
                continue; // removed by hand already
            }
            Optional<X509Certificate> leaf = issuedLeaf(state, id, authorities);
            if (leaf.isPresent()) {
                deletes.add(crt);
                if (state.has(key) && keyOf(state, key, leaf.get())) {
                    deletes.add(key);
                } else if (state.has(key)) {
                    warnings.add(id + " is no longer in the spec and " + crt + " goes, but " + key + " in "
                            + state.root() + " is not that certificate's key, so hardway leaves it alone; remove it "
                            + "by hand if it is not needed");
                }
                changes.add(new PkiChange(id, PkiChange.Action.REMOVED, REASON));
            } else if (!state.has(crt)) {
                warnings.add(id + " is no longer in the spec, and " + key + " in " + state.root() + " is left "
                        + "without its certificate, so hardway cannot tell it is that node's key and leaves it "
                        + "alone; remove it by hand if it is");
            } else {
                warnings.add(id + " is no longer in the spec, but " + crt + " in " + state.root() + " is not a leaf "
                        + "certificate this cluster's CAs signed, so hardway leaves " + crt + " and " + key
                        + " alone; remove them by hand if they are not needed");
            }
        }
        return new RetiredLeaves(deletes, changes, warnings);
    }

    /**
     * The certificate, if it is a leaf of the cluster's CAs and nothing of a key pair ({@code .pub}) or a secret
     * (bare, {@code .sha256}) shares its id.
     */
    private static Optional<X509Certificate> issuedLeaf(PkiState state, String id,
                                                        Collection<CertificateAuthority> authorities) {
        if (state.has(id) || state.has(id + ".pub") || state.has(id + ".sha256")) {
            return Optional.empty();
        }
        Optional<String> pem = state.text(id + ".crt");
        if (pem.isEmpty()) {
            return Optional.empty(); // a lone key: it could be a CA's whose certificate was moved away
        }
        X509Certificate cert;
        try {
            cert = Pem.certificate(pem.get());
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        return cert.getBasicConstraints() < 0 && authorities.stream().anyMatch(ca -> signedBy(cert, ca))
                ? Optional.of(cert) : Optional.empty();
    }

    /** Whether the key file holds the private key of {@code cert}: only then is it the leaf's, and hardway's. */
    private static boolean keyOf(PkiState state, String key, X509Certificate cert) {
        try {
            return Keys.matches(Pem.privateKey(state.text(key).orElseThrow()), cert.getPublicKey());
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    private static boolean signedBy(X509Certificate cert, CertificateAuthority ca) {
        if (!cert.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(ca.certificate().getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
