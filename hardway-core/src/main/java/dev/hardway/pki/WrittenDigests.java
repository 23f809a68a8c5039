package dev.hardway.pki;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@value PkiDirectory#DIGESTS}: {@code sha256sum}'s line for every certificate and key of the PKI directory, as
 * the run that last wrote the directory left them ({@code sha256sum -c hardway-pki.sha256} checks a backup).
 *
 * <p>A leaf whose two files still have the recorded digests is the pair that run checked, so it is reused without
 * checking again that the key belongs to the certificate and that its CA signed it: in a run of a thousand nodes
 * that is a thousand P-256 multiplications, against a millisecond of hashing. A file without a record (a directory
 * from before this file existed) or with another digest (restored from an older backup, edited, damaged) is
 * checked in full, and reused only when it passes. A damaged record costs a full check, never a wrong reuse.
 */
final class WrittenDigests {
    private final Map<String, String> recorded;
    /** The digests {@link #asWritten} computed, by the very array it hashed: {@link #text} does not hash it again. */
    private final Map<Same, String> computed = new ConcurrentHashMap<>();

    /** A key equal only to the same array. */
    private record Same(byte[] bytes) {
    }

    private WrittenDigests(Map<String, String> recorded) {
        this.recorded = recorded;
    }

    /** The record in {@code state}; empty when it has none or a line does not read as {@code sha256sum}'s. */
    static WrittenDigests of(PkiState state) {
        Map<String, String> recorded = new HashMap<>();
        state.text(PkiDirectory.DIGESTS).ifPresent(text -> text.lines().forEach(line -> {
            // "<64 hex digits>  <name>", the text mode of sha256sum
            if (line.length() > 66 && line.charAt(64) == ' ' && line.charAt(65) == ' ') {
                recorded.put(line.substring(66), line.substring(0, 64));
            }
        }));
        return new WrittenDigests(recorded);
    }

    /** Whether {@code bytes} are what the record says {@code name} held when it was written. */
    boolean asWritten(String name, byte[] bytes) {
        String digest = recorded.get(name);
        return digest != null && bytes != null && digest.equals(digest(bytes));
    }

    /** The record of {@code files} (name to bytes), one line each in name order. */
    byte[] text(SortedMap<String, byte[]> files) {
        StringBuilder out = new StringBuilder();
        files.forEach((name, bytes) -> out.append(digest(bytes)).append("  ").append(name).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String digest(byte[] bytes) {
        return computed.computeIfAbsent(new Same(bytes), same -> Fingerprints.sha256Hex(same.bytes()));
    }

    /** Whether {@code text} is the record {@code state} already holds, so it need not be written again. */
    static boolean unchanged(PkiState state, byte[] text) {
        return state.bytes(PkiDirectory.DIGESTS).map(b -> Arrays.equals(b, text)).orElse(false);
    }
}
