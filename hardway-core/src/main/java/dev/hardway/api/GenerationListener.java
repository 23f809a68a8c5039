package dev.hardway.api;

import java.time.Duration;

/**
 * Told as generation moves through its phases ("load", "plan certificates", "issue", "render", "pack", "write"),
 * so a caller can show progress on a large cluster. Both methods do nothing by default; they are called on the
 * generating thread, in order.
 */
public interface GenerationListener {
    /** A listener that ignores everything. */
    GenerationListener NONE = new GenerationListener() {
    };

    /**
     * @param phase the phase's name, e.g. {@code render}
     * @param items how many items (nodes, certificates, files) it works on; 0 when not known in advance
     */
    default void phaseStarted(String phase, int items) {
    }

    /**
     * @param phase the phase's name, as given to {@link #phaseStarted}
     * @param items how many items it did
     * @param took  how long it took
     */
    default void phaseFinished(String phase, int items, Duration took) {
    }
}
