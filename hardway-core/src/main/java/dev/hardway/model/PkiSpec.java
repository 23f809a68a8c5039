package dev.hardway.model;

/**
 * Certificate settings; every field is optional.
 *
 * @param keyAlgorithm     {@code RSA} (2048 bits, the default) or {@code ECDSA} (P-256)
 * @param caValidityDays   validity of newly created CAs, 3650 days by default
 * @param validityDays     validity of newly issued leaf certificates, 365 days by default
 * @param renewBeforeDays  a leaf certificate expiring within this many days is re-issued, 30 by default
 */
public record PkiSpec(String keyAlgorithm, Integer caValidityDays, Integer validityDays, Integer renewBeforeDays) {
}
