package dev.hardway.model;

import java.util.List;

/** The lists of a spec built in Java, copied for the immutable records. */
final class SpecLists {
    private SpecLists() {
    }

    /**
     * An unmodifiable copy of {@code items} ({@code null} stays {@code null}: not given); a {@code null} item is
     * refused naming it, as {@code ClusterSpec.controllers[1]}, where {@code List.copyOf} would throw a bare
     * NullPointerException. (cluster.yaml cannot get here with one: its empty items are problems of their own.)
     */
    static <T> List<T> copyOf(String record, String field, List<T> items) {
        if (items == null) {
            return null;
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw new IllegalArgumentException(record + "." + field + "[" + i + "] is null: give the item, or "
                        + "leave it out of the list");
            }
        }
        return List.copyOf(items);
    }
}
