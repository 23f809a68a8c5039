package dev.hardway.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The PKI directory as one run found it, read once: every file's bytes, the ids its manifest records, and the
 * private files whose mode lets others read them. Issuing decides from this value alone.
 *
 * @param root     the directory, for messages
 * @param files    file name to bytes
 * @param recorded ids the directory is known to hold (see {@link PkiDirectory#MANIFEST}); empty for a new PKI
 * @param loose    private files readable by group or others, with their mode as {@code ls} prints it
 */
public record PkiState(Path root, SortedMap<String, byte[]> files, Set<String> recorded, Map<String, String> loose) {

    public PkiState {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        recorded = Set.copyOf(recorded);
        loose = Collections.unmodifiableMap(new TreeMap<>(loose));
    }

    /** Whether {@code other} holds the same files with the same bytes (and so issues the same PKI). */
    public boolean sameFiles(PkiState other) {
        if (!files.keySet().equals(other.files.keySet()) || !loose.equals(other.loose)) {
            return false;
        }
        return files.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), other.files.get(e.getKey())));
    }

    /** A PKI directory that does not exist yet. */
    public static PkiState empty(Path root) {
        return new PkiState(root, new TreeMap<>(), Set.of(), Map.of());
    }

    /** The {@link PkiDirectory#CLUSTER_STATE} file's text, if the directory has one. */
    public Optional<String> clusterState() {
        return text(PkiDirectory.CLUSTER_STATE);
    }

    /** Where {@link PkiDirectory#CLUSTER_STATE} is, for messages. */
    public Path clusterStateFile() {
        return root.resolve(PkiDirectory.CLUSTER_STATE);
    }

    Optional<byte[]> bytes(String name) {
        return Optional.ofNullable(files.get(name));
    }

    Optional<String> text(String name) {
        return bytes(name).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    boolean has(String name) {
        return files.containsKey(name);
    }

    /**
     * Whether {@code id} was once created here, so that its absence is a loss and not a first run: listed in the
     * manifest, or, in a directory from before the manifest existed, implied by a CA being there.
     */
    boolean wasCreated(String id) {
        return recorded.contains(id);
    }

    /** Ids of the manifest, one per line; {@code #} starts a comment. */
    static Set<String> parseManifest(String text) {
        return Set.copyOf(text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
    }

    static String manifest(List<String> ids) {
        StringBuilder out = new StringBuilder(PkiManifest.HEADER + " A CA, key pair or "
                + "secret listed here that goes\n# missing is an error, never silently replaced: restore it from "
                + "backup. Remove its line only to\n# create a new one on purpose (a new CA means reinstalling every "
                + "node).\n");
        ids.stream().sorted().forEach(id -> out.append(id).append('\n'));
        return out.toString();
    }
}
