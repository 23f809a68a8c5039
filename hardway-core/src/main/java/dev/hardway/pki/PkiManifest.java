package dev.hardway.pki;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@value PkiDirectory#MANIFEST} read strictly, for the two uses where trusting a damaged one does harm: deleting
 * the files of ids the spec no longer has, and telling hardway's certificates from others in the directory.
 * {@link PkiState#parseManifest} stays lenient, because there a lost id only makes hardway refuse more.
 */
final class PkiManifest {
    /** The first line hardway has written since the manifest exists; see {@link PkiState#manifest}. */
    static final String HEADER = "# Written by hardway: what this PKI directory holds.";
    /** Every id hardway plans: a CA, a leaf, a key pair or a secret name, never a path. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][-a-z0-9]*");

    private PkiManifest() {
    }

    /**
     * The ids of a manifest that is whole and as hardway writes it: valid UTF-8, hardway's header, each line an id
     * or a comment, the last one ended (a truncated write is not). Empty for anything else, a user's extra
     * comments and removed lines excepted.
     */
    static Optional<Set<String>> intact(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        if (!text.startsWith(HEADER) || !text.endsWith("\n")) {
            return Optional.empty();
        }
        boolean wellFormed = text.lines().map(String::strip)
                .allMatch(l -> l.isEmpty() || l.startsWith("#") || ID.matcher(l).matches());
        return wellFormed ? Optional.of(PkiState.parseManifest(text)) : Optional.empty();
    }
}
