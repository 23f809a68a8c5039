package dev.hardway.api;

import java.time.Duration;
import java.util.function.Supplier;

/** Runs each phase of a run, telling the listener when it starts and how long it took. */
record Phases(GenerationListener listener) {
    <T> T run(String phase, int items, Supplier<T> work) {
        long start = System.nanoTime();
        listener.phaseStarted(phase, items);
        T result = work.get();
        listener.phaseFinished(phase, items, Duration.ofNanos(System.nanoTime() - start));
        return result;
    }
}
