package dev.hardway.pki;

import dev.hardway.io.FileTransaction;
import dev.hardway.model.PkiChange;

import java.security.KeyPair;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cluster's PKI after issuing: every CA, certificate, key pair and secret its {@link PkiPlan} names, what
 * happened to each, and the files that persisting it would write. An immutable value: nothing has been written,
 * and rendering only looks things up in it.
 */
public final class IssuedPki {
    private final PkiPlan plan;
    private final Map<String, CertificateAuthority> authorities;
    private final Map<String, IssuedCertificate> certificates;
    private final Map<String, KeyPair> keyPairs;
    private final Map<String, PkiSecret> secrets;
    private final List<PkiChange> changes;
    private final List<String> warnings;
    private final SortedMap<String, FileTransaction.Write> writes;
    private final SortedSet<String> deletes;
    private final List<String> loosePrivateFiles;
    private final Map<String, CertificateRequest> plannedRequests;

    IssuedPki(PkiPlan plan, Map<String, CertificateAuthority> authorities, Map<String, IssuedCertificate> certificates,
              Map<String, KeyPair> keyPairs, Map<String, PkiSecret> secrets, List<PkiChange> changes,
              List<String> warnings, SortedMap<String, FileTransaction.Write> writes, SortedSet<String> deletes,
              List<String> loosePrivateFiles) {
        this.plan = plan;
        this.authorities = Map.copyOf(authorities);
        this.certificates = Map.copyOf(certificates);
        this.keyPairs = Map.copyOf(keyPairs);
        this.secrets = Map.copyOf(secrets);
        this.changes = List.copyOf(changes);
        this.warnings = List.copyOf(warnings);
        this.writes = Collections.unmodifiableSortedMap(new TreeMap<>(writes));
        this.deletes = Collections.unmodifiableSortedSet(new TreeSet<>(deletes));
        this.loosePrivateFiles = List.copyOf(loosePrivateFiles);
        this.plannedRequests = plan.certificates().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(CertificateRequest::id, r -> r));
    }

    public PkiPlan plan() {
        return plan;
    }

    public CertificateAuthority authority(String id) {
        return planned(authorities.get(id), id);
    }

    /** The certificate issued for {@code request}, which must be the planned request of that id. */
    public IssuedCertificate certificate(CertificateRequest request) {
        IssuedCertificate issued = planned(certificates.get(request.id()), request.id());
        if (!request.equals(plannedRequests.get(request.id()))) {
            throw new IllegalStateException(request.id() + " is rendered with another request than was planned");
        }
        return issued;
    }

    public KeyPair keyPair(String id) {
        return planned(keyPairs.get(id), id);
    }

    public PkiSecret secret(String id) {
        return planned(secrets.get(id), id);
    }

    private static <T> T planned(T value, String id) {
        if (value == null) {
            throw new IllegalStateException(id + " is not in the PKI plan");
        }
        return value;
    }

    /** Every CA, in plan order. */
    public List<CertificateAuthority> authorities() {
        return plan.authorities().stream().map(a -> authorities.get(a.id())).toList();
    }

    /** Every leaf certificate, in plan order. */
    public List<IssuedCertificate> certificates() {
        return plan.certificates().stream().map(c -> certificates.get(c.id())).toList();
    }

    /** What issuing did to each entry, in plan order, then the retired leaves it removes. */
    public List<PkiChange> changes() {
        return changes;
    }

    /** Things the user should act on soon: a CA nearing expiry, a key file others could read. */
    public List<String> warnings() {
        return warnings;
    }

    /** The files persisting this PKI writes (new or changed ones only), by name. */
    public SortedMap<String, FileTransaction.Write> writes() {
        return writes;
    }

    /** The files persisting this PKI deletes: the certificates and keys of nodes the spec no longer has. */
    public SortedSet<String> deletes() {
        return deletes;
    }

    /** Whether persisting would change the directory. */
    public boolean hasWrites() {
        return !writes.isEmpty() || !deletes.isEmpty() || !loosePrivateFiles.isEmpty();
    }

    /** Private files that others can read; persisting makes them 0600. */
    List<String> loosePrivateFiles() {
        return loosePrivateFiles;
    }
}
