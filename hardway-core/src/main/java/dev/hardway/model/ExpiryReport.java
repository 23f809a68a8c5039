package dev.hardway.model;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every certificate the PKI directory's manifest lists (every one there, without a manifest hardway can read),
 * with its expiry, residual time and issuing CA, modelled on {@code kubeadm certs check-expiration}. Times are UTC
 * (ISO-8601), so the report reads the same everywhere.
 *
 * @param directory    the PKI directory
 * @param now          the instant the check ran at
 * @param threshold    certificates expiring within this are flagged
 * @param certificates leaf certificates first, then CAs, each sorted by name
 */
public record ExpiryReport(Path directory, Instant now, Duration threshold, List<CertificateStatus> certificates) {

    public ExpiryReport {
        certificates = List.copyOf(certificates);
    }

    public List<CertificateStatus> leaves() {
        return certificates.stream().filter(c -> !c.authority()).toList();
    }

    public List<CertificateStatus> authorities() {
        return certificates.stream().filter(CertificateStatus::authority).toList();
    }

    /** Certificates that expire within the threshold or already have. */
    public List<CertificateStatus> needingAttention() {
        return certificates.stream().filter(CertificateStatus::needsAttention).toList();
    }

    /** Whether no certificate expires within the threshold. */
    public boolean passes() {
        return needingAttention().isEmpty();
    }

    /** The two tables, leaves then CAs, as {@code kubeadm certs check-expiration} prints them. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("Certificates in ").append(directory).append(" at ").append(format(now.truncatedTo(ChronoUnit.SECONDS)))
                .append(", threshold ").append(threshold.toDays()).append(" days:\n\n");
        if (certificates.isEmpty()) {
            return out.append("(no certificates)\n").toString();
        }
        if (!leaves().isEmpty()) {
            table(out, List.of("CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "STATUS"),
                    leaves(), c -> List.of(c.name(), format(c.notAfter()), c.residualText(), c.issuer(), status(c)));
            out.append('\n');
        }
        if (!authorities().isEmpty()) {
            table(out, List.of("CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "STATUS"),
                    authorities(), c -> List.of(c.name(), format(c.notAfter()), c.residualText(), status(c)));
        }
        return out.toString();
    }

    /**
     * Why the check fails and what to do, naming each certificate; empty when it passes.
     *
     * @param generateCommand the command that re-issues leaf certificates, e.g. {@code mvn hardway:generate}
     */
    public String failureMessage(String generateCommand) {
        return failureMessage(generateCommand, Optional.empty());
    }

    /** The spec's renewal settings ({@code pki.renewBeforeDays}, {@code pki.validityDays}), for the advice. */
    public record Renewal(int renewBeforeDays, int validityDays) {
    }

    /**
     * {@link #failureMessage(String)}, told the spec's renewal settings when it could be read: a leaf the check
     * flags but generate does not renew yet (renewBeforeDays shorter than the threshold) is named as such, so the
     * advice to generate is not one that changes nothing.
     */
    public String failureMessage(String generateCommand, Optional<Renewal> renewal) {
        List<CertificateStatus> bad = needingAttention();
        if (bad.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append(bad.size()).append(bad.size() == 1 ? " certificate" : " certificates").append(" in ")
                .append(directory).append(" expire").append(bad.size() == 1 ? "s" : "").append(" within ")
                .append(threshold.toDays()).append(" days:\n");
        for (CertificateStatus c : bad) {
            out.append("  ").append(c.name()).append(c.authority() ? " (CA)" : "").append(": ")
                    .append(c.state() == CertificateStatus.State.EXPIRED ? "expired on " : "expires on ")
                    .append(format(c.notAfter()))
                    .append(c.state() == CertificateStatus.State.EXPIRED ? "" : ", " + c.residualText() + " left")
                    .append('\n');
        }
        if (bad.stream().anyMatch(c -> !c.authority())) {
            out.append("`").append(generateCommand).append("` re-issues leaf certificates that expire within "
                    + "cluster.yaml's pki.renewBeforeDays (").append(renewal.map(r -> r.renewBeforeDays() + " days")
                    .orElse("30 days unless set")).append(") with the same CA and key; then reinstall the nodes' "
                    + "bundles.\n");
            renewal.ifPresent(r -> notDueYet(out, bad, r));
        }
        if (bad.stream().anyMatch(CertificateStatus::authority)) {
            out.append("A CA is never replaced silently: rotating it touches every node, so plan it (every node "
                    + "must trust the new CA before the old one expires).\n");
        }
        return out.toString();
    }

    /** Says which flagged leaves generate would leave alone for now, and what to change so that it would not. */
    private void notDueYet(StringBuilder out, List<CertificateStatus> bad, Renewal r) {
        Instant due = now.plus(Duration.ofDays(r.renewBeforeDays()));
        long notYet = bad.stream().filter(c -> !c.authority() && c.notAfter().isAfter(due)).count();
        if (notYet == 0) {
            return;
        }
        long days = threshold.toDays();
        out.append(notYet).append(notYet == 1 ? " of these is" : " of these are").append(" not due for renewal "
                + "yet: pki.renewBeforeDays (").append(r.renewBeforeDays()).append(") is shorter than this check's "
                + "threshold (").append(days).append(" days), so generate leaves them alone until then. ");
        if (days < r.validityDays()) {
            out.append("Raise pki.renewBeforeDays to ").append(days).append(" or more, or check with a threshold of ")
                    .append(r.renewBeforeDays()).append(" days.\n");
        } else {
            out.append("The threshold is at least as long as a leaf certificate lives (pki.validityDays: ")
                    .append(r.validityDays()).append("): check with a threshold of ").append(r.renewBeforeDays())
                    .append(" days, when generate renews.\n");
        }
    }

    private String status(CertificateStatus c) {
        return switch (c.state()) {
            case OK -> "ok";
            case EXPIRING -> "expires within " + threshold.toDays() + "d";
            case EXPIRED -> "EXPIRED";
        };
    }

    private static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static void table(StringBuilder out, List<String> header, List<CertificateStatus> rows,
                              Function<CertificateStatus, List<String>> cells) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        rows.forEach(r -> all.add(cells.apply(r)));
        int[] width = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(width[i] - row.get(i).length() + 3));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
