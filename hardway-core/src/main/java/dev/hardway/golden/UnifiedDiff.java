package dev.hardway.golden;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

import java.util.ArrayList;
import java.util.List;

/** A git-style unified diff of two texts ({@code a/} the committed side, {@code b/} the generated one). */
public final class UnifiedDiff {
    /** Lines of context around each change, as {@code git diff} shows. */
    private static final int CONTEXT = 3;
    private static final String NO_NEWLINE = "\\ No newline at end of file";

    private UnifiedDiff() {
    }

    /** The diff from {@code committed} to {@code generated}, headed {@code a/path} and {@code b/path}. */
    public static String of(String path, String committed, String generated) {
        List<String> before = lines(committed);
        List<String> after = lines(generated);
        Patch<String> patch = DiffUtils.diff(before, after);
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("a/" + path, "b/" + path, before, patch, CONTEXT);
        return String.join("\n", diff) + "\n";
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
