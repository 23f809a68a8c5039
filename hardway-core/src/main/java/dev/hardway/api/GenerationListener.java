package dev.hardway.api;

import java.time.Duration;

/**
 * Told about each phase of a generation while it runs, so that a tool can show progress on a large cluster.
 * Called from the thread that called {@link Hardway}; the default methods do nothing.
 */
public interface GenerationListener {
    /** A listener that ignores everything. */
    GenerationListener NONE = new GenerationListener() {
    };

    /**
     * @param phase what starts, e.g. {@code "issue certificates"}
     * @param items how many things it works on (certificates, nodes, files)
     */
    default void phaseStarted(String phase, int items) {
    }

    /** @param took how long the phase took */
    default void phaseFinished(String phase, int items, Duration took) {
    }

    /** A sentence worth showing at once, e.g. that the run waits for another run's lock. */
    default void notice(String message) {
    }
}
