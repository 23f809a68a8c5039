package dev.hardway.pki;

import dev.hardway.model.KeyAlgorithm;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a run issues: the key type of new keys, validities, the renewal window, "now", and whether private keys
 * must be present.
 *
 * @param algorithm    key type of newly generated keys
 * @param caValidity   validity of a newly created CA
 * @param leafValidity validity of a newly issued leaf certificate
 * @param renewBefore  a leaf expiring within this window is re-issued
 * @param clock        "now" for validity checks and new certificates
 * @param random       a fixed source makes new keys and serials repeatable (tests, fixtures); {@code null} means
 *                     the platform's strong source, shared by the threads that generate keys
 * @param keyAccess    whether the private keys must be present
 */
public record PkiPolicy(KeyAlgorithm algorithm, Duration caValidity, Duration leafValidity, Duration renewBefore,
                        Clock clock, SecureRandom random, KeyAccess keyAccess) {

    public PkiPolicy {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(caValidity, "caValidity");
        Objects.requireNonNull(leafValidity, "leafValidity");
        Objects.requireNonNull(renewBefore, "renewBefore");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(keyAccess, "keyAccess");
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
}
