package dev.hardway.model;

import java.time.Duration;
import java.time.Instant;

/**
 * One certificate of a PKI directory as an expiry check sees it.
 *
 * @param name      the file stem, e.g. {@code kubelet-worker-0} for {@code kubelet-worker-0.crt}
 * @param subject   the subject's distinguished name
 * @param notAfter  when it expires
 * @param residual  time left from the check's "now"; negative once expired
 * @param authority whether it is a CA
 * @param issuer    the name of the CA in the same directory that signed it, {@code self-signed} for a root CA, or
 *                  the issuer's distinguished name when that CA is not in the directory
 * @param state     {@link State#OK}, or whether it expires within the threshold or already has
 */
public record CertificateStatus(String name, String subject, Instant notAfter, Duration residual, boolean authority,
                                String issuer, State state) {

    /** Where a certificate stands against the check's threshold. */
    public enum State {
        OK, EXPIRING, EXPIRED
    }

    /** Whether the check fails because of this certificate. */
    public boolean needsAttention() {
        return state != State.OK;
    }

    /**
     * The residual time as {@code kubeadm certs check-expiration} prints it: {@code 45s}, {@code 12m}, {@code 23h},
     * {@code 364d}, {@code 9y}; {@code expired} once past.
     */
    public String residualText() {
        long seconds = residual.toSeconds();
        if (seconds < 0) {
            return "expired";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return residual.toMinutes() + "m";
        }
        long hours = residual.toHours();
        if (hours < 24) {
            return hours + "h";
        }
        if (hours < 24 * 365) {
            return residual.toDays() + "d";
        }
        return residual.toDays() / 365 + "y";
    }
}
