package dev.hardway.pki;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a cluster's PKI must hold, each entry named once: the CAs, the leaf certificates, the key pairs and
 * the random secrets. It is computed from the cluster alone, before any key exists, so that issuing can see the
 * whole job at once (and do it in parallel) and nothing downstream ever asks for more.
 *
 * @param authorities  CAs, in the order they are created
 * @param certificates leaf certificates; each names its issuer among {@code authorities}
 * @param keyPairs     ids of bare key pairs ({@code <id>.key} / {@code <id>.pub}), e.g. the service-account key
 * @param secrets      ids of random secrets with their length in bytes, e.g. the encryption key
 */
public record PkiPlan(List<Authority> authorities, List<CertificateRequest> certificates, List<String> keyPairs,
                      Map<String, Integer> secrets) {

    /** A CA with subject {@code CN=commonName}. */
    public record Authority(String id, String commonName) {
    }

    public PkiPlan {
        authorities = List.copyOf(authorities);
        certificates = List.copyOf(certificates);
        keyPairs = List.copyOf(keyPairs);
        secrets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
        Set<String> ids = new HashSet<>();
        Set<String> cas = new HashSet<>();
        for (Authority a : authorities) {
            unique(ids, a.id());
            cas.add(a.id());
        }
        for (CertificateRequest c : certificates) {
            unique(ids, c.id());
            if (!cas.contains(c.issuer())) {
                throw new IllegalArgumentException(c.id() + " is issued by " + c.issuer() + ", which is not planned");
            }
        }
        keyPairs.forEach(k -> unique(ids, k));
        secrets.keySet().forEach(s -> unique(ids, s));
    }

    private static void unique(Set<String> ids, String id) {
        if (!ids.add(id)) {
            throw new IllegalArgumentException("the PKI plan names " + id + " twice");
        }
    }

    /** Every id the plan names. */
    public List<String> ids() {
        List<String> out = new ArrayList<>();
        authorities.forEach(a -> out.add(a.id()));
        certificates.forEach(c -> out.add(c.id()));
        out.addAll(keyPairs);
        out.addAll(secrets.keySet());
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects a plan; a certificate requested twice with the same content is kept once. */
    public static final class Builder {
        private final List<Authority> authorities = new ArrayList<>();
        private final Map<String, CertificateRequest> certificates = new LinkedHashMap<>();
        private final List<String> keyPairs = new ArrayList<>();
        private final Map<String, Integer> secrets = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder authority(String id, String commonName) {
            authorities.add(new Authority(id, commonName));
            return this;
        }

        public Builder certificate(CertificateRequest request) {
            CertificateRequest known = certificates.putIfAbsent(request.id(), request);
            if (known != null && !known.equals(request)) {
                throw new IllegalArgumentException("two different certificates are planned as " + request.id());
            }
            return this;
        }

        public Builder keyPair(String id) {
            keyPairs.add(id);
            return this;
        }

        public Builder secret(String id, int bytes) {
            secrets.put(id, bytes);
            return this;
        }

        public PkiPlan build() {
            return new PkiPlan(authorities, List.copyOf(certificates.values()), keyPairs, secrets);
        }
    }
}
