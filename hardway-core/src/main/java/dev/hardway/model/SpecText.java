package dev.hardway.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The bytes of {@code cluster.yaml} as text. The file must be UTF-8 (a UTF-8 byte-order mark is dropped): a spec
 * read in any other encoding would put different names and addresses into certificates than the user sees, so
 * anything else is refused, at the line and column of the first byte that is not UTF-8.
 */
final class SpecText {
    /** A cluster description is a few kilobytes; this bounds what a mistaken path (a log, an image) can cost. */
    static final int MAX_BYTES = 1 << 20;

    private SpecText() {
    }

    /** The decoded text, or the one problem that prevents reading it. */
    record Decoded(String text, Problem problem) {
    }

    static Decoded decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return refused(new Problem("", "the file is " + bytes.length + " bytes; a cluster description is a few "
                    + "kilobytes and hardway reads at most " + MAX_BYTES + " bytes (1 MiB)", null));
        }
        if (startsWith(bytes, 0xFF, 0xFE) || startsWith(bytes, 0xFE, 0xFF)) {
            return refused(new Problem("", "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as "
                    + "UTF-8", 1, 1));
        }
        if (looksLikeUtf16WithoutMark(bytes)) {
            return refused(new Problem("", "the file looks like UTF-16 without a byte-order mark (every other byte "
                    + "is zero); save it as UTF-8", 1, 1));
        }
        int start = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer text = utf8.decode(ByteBuffer.wrap(bytes, start, bytes.length - start));
            return new Decoded(text.toString(), null);
        } catch (CharacterCodingException e) {
            return refused(notUtf8(bytes, start));
        }
    }

    private static Decoded refused(Problem problem) {
        return new Decoded(null, problem);
    }

    /** Finds the first byte that is not UTF-8 and says where it is, counting columns in characters. */
    private static Problem notUtf8(byte[] bytes, int start) {
        int line = 1;
        int column = 1;
        int i = start;
        while (i < bytes.length) {
            int length = sequenceLength(bytes, i);
            if (length == 0) {
                return new Problem("", String.format(Locale.ROOT, "byte 0x%02X is not UTF-8 (is the file Latin-1 "
                        + "or Windows-1252?); save it as UTF-8", bytes[i] & 0xFF), line, column);
            }
            if (bytes[i] == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i += length;
        }
        return new Problem("", "the file is not UTF-8; save it as UTF-8", null);
    }

    /** The length of the well-formed UTF-8 sequence at {@code i}, or 0 when there is none. */
    private static int sequenceLength(byte[] b, int i) {
        int first = b[i] & 0xFF;
        int length;
        int min;
        if (first < 0x80) {
            return 1;
        } else if (first >= 0xC2 && first <= 0xDF) {
            length = 2;
            min = 0x80;
        } else if (first >= 0xE0 && first <= 0xEF) {
            length = 3;
            min = 0x800;
        } else if (first >= 0xF0 && first <= 0xF4) {
            length = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + length > b.length) {
            return 0;
        }
        int cp = first & (0xFF >> (length + 1));
        for (int k = 1; k < length; k++) {
            int next = b[i + k] & 0xFF;
            if ((next & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (next & 0x3F);
        }
        boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        return cp < min || cp > 0x10FFFF || surrogate ? 0 : length;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** YAML text is mostly ASCII, so UTF-16 has a zero in every other byte of the first ones. */
    private static boolean looksLikeUtf16WithoutMark(byte[] bytes) {
        int n = Math.min(bytes.length, 64) & ~1;
        if (n < 2) {
            return false;
        }
        int evenZeros = 0;
        int oddZeros = 0;
        for (int i = 0; i < n; i += 2) {
            evenZeros += bytes[i] == 0 ? 1 : 0;
            oddZeros += bytes[i + 1] == 0 ? 1 : 0;
        }
        int pairs = n / 2;
        return evenZeros * 2 > pairs || oddZeros * 2 > pairs;
    }
}
