package dev.hardway.pki;

import java.util.HexFormat;

/**
 * A random secret of the PKI (the encryption key) with the SHA-256 of its bytes. The fingerprint is persisted
 * beside it ({@code <id>.sha256}) so that a review can show which key a cluster uses, and a check that runs
 * without the secret still knows it.
 */
public record PkiSecret(String id, byte[] bytes, String sha256) {
    public PkiSecret {
        bytes = bytes.clone();
    }

    static PkiSecret of(String id, byte[] bytes) {
        return new PkiSecret(id, bytes, Fingerprints.sha256Hex(bytes));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The first 8 hex digits: a short, stable name for the key that does not reveal it. */
    public String shortFingerprint() {
        return sha256.substring(0, 8);
    }

    @Override
    public String toString() {
        return "PkiSecret[" + id + ", sha256 " + sha256 + "]";
    }

    static boolean isHex(String s) {
        try {
            return s.length() == 64 && HexFormat.of().parseHex(s).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
