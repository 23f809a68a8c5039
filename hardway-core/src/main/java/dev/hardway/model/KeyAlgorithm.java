package dev.hardway.model;

import java.util.Optional;

/** The key types hardway issues. RSA-2048 is the default because every Kubernetes component and tool reads it. */
public enum KeyAlgorithm {
    RSA_2048("RSA"),
    ECDSA_P256("ECDSA");

    private final String specName;

    KeyAlgorithm(String specName) {
        this.specName = specName;
    }

    public static Optional<KeyAlgorithm> fromSpec(String text) {
        if (text == null) {
            return Optional.of(RSA_2048);
        }
        for (KeyAlgorithm a : values()) {
            if (a.specName.equals(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public String specName() {
        return specName;
    }
}
