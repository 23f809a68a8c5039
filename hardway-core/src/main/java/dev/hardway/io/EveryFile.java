package dev.hardway.io;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * File work done on every core that returns only once every item is finished, failed or not.
 *
 * <p>A parallel stream's {@code forEach} rethrows the first exception while other workers are still writing;
 * a caller that then cleans up (removes a journal or a staging directory) races them and leaves files behind.
 * Here each failure is kept, the stream runs to its end, and the first failure is thrown with the others
 * suppressed.
 */
public final class EveryFile {
    private static final int SUPPRESSED_AT_MOST = 8;

    private EveryFile() {
    }

    /** One item's file work. */
    @FunctionalInterface
    public interface Action<T> {
        void run(T item) throws IOException;
    }

    public static <T> void inParallel(Collection<T> items, Action<T> action) throws IOException {
        List<Exception> failures = items.parallelStream().map(item -> {
            try {
                action.run(item);
                return null;
            } catch (IOException | RuntimeException e) {
                return (Exception) e;
            }
        }).filter(Objects::nonNull).toList();
        if (failures.isEmpty()) {
            return;
        }
        Exception first = failures.get(0);
        failures.stream().skip(1).limit(SUPPRESSED_AT_MOST).forEach(first::addSuppressed);
        if (first instanceof IOException io) {
            throw io;
        }
        throw (RuntimeException) first;
    }
}
