package dev.hardway.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 fingerprints, the one way hardway names keys and secrets in reviews without revealing them. */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Lower-case hex, as {@code sha256sum} prints it. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    /** Colon-separated hex pairs, easy to compare by eye. */
    public static String sha256Colons(byte[] bytes) {
        return HexFormat.ofDelimiter(":").formatHex(sha256(bytes));
    }
}
