package dev.hardway.model;

import java.nio.file.Path;
import java.util.List;

/**
 * How a golden directory (the committed side) differs from what hardway generates now.
 *
 * @param root            the golden directory
 * @param directoryExists whether it exists at all
 * @param changed         files whose text differs, each with a unified diff
 * @param missing         files hardway generates that the directory lacks
 * @param extra           files in the directory that hardway no longer generates
 */
public record GoldenComparison(Path root, boolean directoryExists, List<FileDifference> changed,
                               List<String> missing, List<String> extra) {

    /** The command that refreshes a snapshot in an infra repo. */
    public static final String REFRESH_COMMAND = "mvn hardway:generate";

    public GoldenComparison {
        changed = List.copyOf(changed);
        missing = List.copyOf(missing);
        extra = List.copyOf(extra);
    }

    /**
     * One file that differs.
     *
     * @param path snapshot-relative path, e.g. {@code worker-0/var/lib/kubelet/kubelet-config.yaml}
     * @param diff unified diff from the committed text ({@code a/}) to the generated one ({@code b/})
     */
    public record FileDifference(String path, String diff) {
    }

    /** Whether the directory holds exactly what hardway generates. */
    public boolean matches() {
        return directoryExists && changed.isEmpty() && missing.isEmpty() && extra.isEmpty();
    }

    /** "2 files differ, 16 missing, 0 extra". */
    public String summary() {
        return changed.size() + (changed.size() == 1 ? " file differs, " : " files differ, ") + missing.size()
                + " missing, " + extra.size() + " extra";
    }

    /** {@link #report(String, List)} with {@value #REFRESH_COMMAND} and no notes. */
    public String report() {
        return report(REFRESH_COMMAND, List.of());
    }

    /**
     * The human report: a unified diff per differing file, the missing and extra files, {@code notes} (what else
     * generating would change), and last the command that refreshes the snapshot.
     */
    public String report(String refreshCommand, List<String> notes) {
        StringBuilder out = new StringBuilder();
        if (matches()) {
            out.append("The golden snapshot in ").append(root).append(" matches what hardway generates.\n");
            return out.toString();
        }
        if (!directoryExists) {
            out.append("There is no golden snapshot in ").append(root).append(": hardway generates ")
                    .append(missing.size()).append(" files that would belong there.\n");
        } else {
            out.append("The golden snapshot in ").append(root).append(" differs from what hardway generates now: ")
                    .append(summary()).append(".\n");
        }
        if (!changed.isEmpty()) {
            out.append("Differences (a/ is committed, b/ is what hardway generates now):\n");
            for (FileDifference d : changed) {
                out.append('\n').append(d.diff());
            }
        }
        if (directoryExists && !missing.isEmpty()) {
            out.append("\nMissing from the snapshot (hardway now generates them):\n");
            missing.forEach(p -> out.append("  ").append(p).append('\n'));
        }
        if (!extra.isEmpty()) {
            out.append("\nExtra in the snapshot (hardway no longer generates them):\n");
            extra.forEach(p -> out.append("  ").append(p).append('\n'));
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append(n).append('\n'));
        }
        out.append("\nRefresh the snapshot with `").append(refreshCommand)
                .append("`, review the change with `git diff` and commit it with cluster.yaml.\n");
        return out.toString();
    }
}
