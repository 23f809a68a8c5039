package dev.hardway.golden;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A git-style unified diff of two texts ({@code a/} the committed side, {@code b/} the generated one). */
public final class UnifiedDiff {
    /** Lines of context around each change, as {@code git diff} shows. */
    private static final int CONTEXT = 3;
    private static final String NO_NEWLINE = "\\ No newline at end of file";

    private UnifiedDiff() {
    }

    /** The diff from {@code committed} to {@code generated}, headed {@code a/path} and {@code b/path}. */
    public static String of(String path, String committed, String generated) {
        String hunks = hunks(committed, generated);
        // as generateUnifiedDiff: no header for no change
        return hunks.isEmpty() ? "\n" : "--- a/" + path + "\n+++ b/" + path + "\n" + hunks;
    }

    private record Texts(String committed, String generated) {
    }

    /**
     * Hunks by the pair of texts: a file shared by every node (the cluster's route table) that changes is the same
     * diff on each of them, a thousand times in a large cluster. Bounded, for a long-lived JVM.
     */
    private static final Map<Texts, String> HUNKS = new ConcurrentHashMap<>();
    private static final int HUNKS_LIMIT = 256;

    private static String hunks(String committed, String generated) {
        Texts key = new Texts(committed, generated);
        String known = HUNKS.get(key);
        if (known != null) {
            return known;
        }
        List<String> before = lines(committed);
        List<String> after = lines(generated);
        Patch<String> patch = DiffUtils.diff(before, after);
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("a", "b", before, patch, CONTEXT);
        String hunks = diff.size() <= 2 ? "" : String.join("\n", diff.subList(2, diff.size())) + "\n";
        if (HUNKS.size() >= HUNKS_LIMIT) {
            HUNKS.clear();
        }
        HUNKS.put(key, hunks);
        return hunks;
    }

    /** The text's lines; a missing final newline becomes a line of its own, as git marks it. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>(text.lines().toList());
        if (!text.isEmpty() && !text.endsWith("\n")) {
            out.add(NO_NEWLINE);
        }
        return out;
    }
}
