package dev.hardway.api;

import dev.hardway.model.ExpiryReport;
import dev.hardway.pki.CertificateExpiry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The expiry check of a cluster's PKI, modelled on {@code kubeadm certs check-expiration}: every certificate the
 * PKI directory's manifest lists with its expiry, residual time and issuing CA, and which expire within a
 * threshold. Renewal is
 * {@link Hardway#generate}: it re-issues leaf certificates inside the spec's {@code pki.renewBeforeDays} window
 * with the same CA.
 *
 * <pre>{@code
 * ExpiryReport report = CertificateCheck.run(Path.of("pki"), Duration.ofDays(30));
 * System.out.print(report.table());
 * if (!report.passes()) { ... }
 * }</pre>
 */
public final class CertificateCheck {
    private CertificateCheck() {
    }

    /** Checks against the system clock. */
    public static ExpiryReport run(Path pkiDirectory, Duration threshold) {
        return run(pkiDirectory, threshold, Clock.systemUTC());
    }

    /** Checks as of {@code clock}'s "now". */
    public static ExpiryReport run(Path pkiDirectory, Duration threshold, Clock clock) {
        return CertificateExpiry.check(pkiDirectory, threshold, clock);
    }
}
