package dev.hardway.model;

/**
 * Certificate settings; every field is optional.
 *
 * @param keyAlgorithm     {@code RSA} (2048 bits, the default) or {@code ECDSA} (P-256)
 * @param caValidityDays   validity of newly created CAs, 3650 days by default
 * @param validityDays     validity of newly issued leaf certificates, 365 days by default
 * @param renewBeforeDays  a leaf certificate expiring within this many days is re-issued, 30 by default
 */
public record PkiSpec(
        @SpecField(description = "Key type of newly generated keys: RSA (2048 bits) or ECDSA (P-256).",
                example = "ECDSA", defaultValue = "RSA", format = ValueFormat.KEY_ALGORITHM)
        String keyAlgorithm,
        // 100 years at most: every date stays far inside X.509's GeneralizedTime range (year 9999)
        @SpecField(description = "Validity of a newly created cluster CA, in days.", example = "3650",
                defaultValue = "3650", minimum = 1, maximum = PkiSpec.MAX_DAYS)
        Integer caValidityDays,
        @SpecField(description = "Validity of newly issued leaf certificates, in days; at most caValidityDays.",
                example = "365", defaultValue = "365", minimum = 1, maximum = PkiSpec.MAX_DAYS)
        Integer validityDays,
        @SpecField(description = "A leaf certificate expiring within this many days is re-issued by generate; "
                + "shorter than validityDays.", example = "30", defaultValue = "30", minimum = 0,
                maximum = PkiSpec.MAX_DAYS - 1)
        Integer renewBeforeDays) {

    /** About 100 years. */
    static final int MAX_DAYS = 36_500;

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link PkiSpec} field by field; unset fields take their defaults. */
    public static final class Builder {
        private String keyAlgorithm;
        private Integer caValidityDays;
        private Integer validityDays;
        private Integer renewBeforeDays;

        private Builder() {
        }

        public Builder keyAlgorithm(String algorithm) {
            this.keyAlgorithm = algorithm;
            return this;
        }

        public Builder keyAlgorithm(KeyAlgorithm algorithm) {
            this.keyAlgorithm = algorithm.specName();
            return this;
        }

        public Builder caValidityDays(Integer days) {
            this.caValidityDays = days;
            return this;
        }

        public Builder validityDays(Integer days) {
            this.validityDays = days;
            return this;
        }

        public Builder renewBeforeDays(Integer days) {
            this.renewBeforeDays = days;
            return this;
        }

        public PkiSpec build() {
            return new PkiSpec(keyAlgorithm, caValidityDays, validityDays, renewBeforeDays);
        }
    }
}
