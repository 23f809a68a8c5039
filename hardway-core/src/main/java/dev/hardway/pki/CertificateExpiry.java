package dev.hardway.pki;

import dev.hardway.model.CertificateStatus;
import dev.hardway.model.ExpiryReport;
import dev.hardway.model.PkiStateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads every certificate ({@code *.crt}) of a PKI directory that its {@value PkiDirectory#MANIFEST} lists, CAs
 * and leaves, and reports how long each has left, like {@code kubeadm certs check-expiration}. It only reads:
 * nothing is issued or written.
 *
 * <p>The manifest decides because a certificate it does not list is one generation never renews (a file of
 * yours, or one hardway issued for a node before it removed departed nodes' files), which would fail the check
 * a year on for nothing hardway can act on. Without a manifest, or with one that is not as hardway writes it,
 * every {@code *.crt} is reported: a check had better say too much than hide an expiring certificate.
 */
public final class CertificateExpiry {
    /** kubeadm's and hardway's default: flag what expires within 30 days. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofDays(30);

    private CertificateExpiry() {
    }

    /**
     * @param pkiDirectory the directory hardway persists the PKI in
     * @param threshold    certificates expiring within this are flagged
     * @param clock        "now"; tests move it
     * @throws PkiStateException when the directory does not exist or a certificate in it does not parse
     */
    public static ExpiryReport check(Path pkiDirectory, Duration threshold, Clock clock) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("threshold must not be negative: " + threshold);
        }
        if (!Files.isDirectory(pkiDirectory)) {
            throw new PkiStateException(PkiStateException.Reason.MISSING, pkiDirectory,
                    "there is no PKI directory at " + pkiDirectory + "; generate the cluster first "
                    + "(it creates the CA and certificates there), or point pkiDirectory at the cluster's PKI");
        }
        Optional<Set<String>> listed = manifestIds(pkiDirectory);
        Map<String, X509Certificate> byName = new LinkedHashMap<>();
        for (Path file : certificateFiles(pkiDirectory)) {
            String name = file.getFileName().toString();
            String id = name.substring(0, name.length() - ".crt".length());
            if (listed.map(ids -> ids.contains(id)).orElse(true)) {
                byName.put(id, read(file));
            }
        }
        Instant now = clock.instant();
        List<CertificateStatus> out = new ArrayList<>();
        byName.forEach((name, cert) -> {
            Instant notAfter = cert.getNotAfter().toInstant();
            Duration residual = Duration.between(now, notAfter);
            CertificateStatus.State state = !notAfter.isAfter(now) ? CertificateStatus.State.EXPIRED
                    : residual.compareTo(threshold) <= 0 ? CertificateStatus.State.EXPIRING
                    : CertificateStatus.State.OK;
            out.add(new CertificateStatus(name, cert.getSubjectX500Principal().getName(), notAfter, residual,
                    cert.getBasicConstraints() >= 0, issuer(cert, byName), state));
        });
        out.sort(Comparator.comparing(CertificateStatus::authority).thenComparing(CertificateStatus::name));
        return new ExpiryReport(pkiDirectory.toAbsolutePath().normalize(), now, threshold, out);
    }

    /** The ids of the directory's manifest; empty without one that is whole and hardway's. */
    private static Optional<Set<String>> manifestIds(Path dir) {
        Path manifest = dir.resolve(PkiDirectory.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        try {
            return PkiManifest.intact(Files.readAllBytes(manifest));
        } catch (IOException e) {
            throw new PkiStateException(PkiStateException.Reason.INACCESSIBLE, manifest,
                    "cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> certificateFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".crt"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static X509Certificate read(Path file) {
        try {
            return Pem.certificate(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // removing a CA's is no way out: generation never issues a CA again on its own
            String why = e.getMessage() == null || e.getMessage().contains("not a readable PEM") ? ""
                    : " (" + e.getMessage() + ")";
            throw new PkiStateException(PkiStateException.Reason.DAMAGED, file,
                    file + " is not a readable PEM certificate" + why + "; restore it from backup. "
                    + "If it is a leaf's, removing it also works: generation issues it again; a CA's it never "
                    + "issues again on its own, since every node trusts it");
        }
    }

    /** The name of the CA in the directory that signed {@code cert}. */
    private static String issuer(X509Certificate cert, Map<String, X509Certificate> candidates) {
        if (cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signedBy(cert, cert)) {
            return "self-signed";
        }
        return candidates.entrySet().stream()
                .filter(c -> c.getValue().getBasicConstraints() >= 0)
                .filter(c -> c.getValue().getSubjectX500Principal().equals(cert.getIssuerX500Principal()))
                .filter(c -> signedBy(cert, c.getValue()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(cert.getIssuerX500Principal().getName() + " (not in this directory)");
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
