package dev.hardway.model;

import java.util.List;

/**
 * What writing a golden snapshot did, by path under the golden directory.
 *
 * @param written   files created or changed
 * @param unchanged files that already held the snapshot's text
 * @param removed   files no longer generated
 */
public record GoldenFiles(List<String> written, List<String> unchanged, List<String> removed) {
    public GoldenFiles {
        written = List.copyOf(written);
        unchanged = List.copyOf(unchanged);
        removed = List.copyOf(removed);
    }

    /** Whether the directory already held the snapshot. */
    public boolean upToDate() {
        return written.isEmpty() && removed.isEmpty();
    }
}
