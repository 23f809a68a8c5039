package dev.hardway.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Items handed out one at a time to one thread per core, the calling thread among them; results in item order.
 *
 * <p>A parallel stream splits a list into a few fixed chunks up front (a quarter of the list each on two cores),
 * so when the cost of one item varies as much as an RSA key's (a prime search: from a tenth to several times the
 * mean), one thread can still hold a chunk of keys while the other has nothing left: measured, seconds of a
 * single idle core at the end of a thousand-key run. Taking the next item only when the last is done keeps every
 * core busy until the queue is empty, at the cost of one atomic increment per item.
 *
 * <p>After a failure no further item is handed out (a thousand keys are not generated to report one damaged
 * file), and every item already taken is finished before {@link #map} throws: nothing runs on after it returns,
 * so a caller that cleans up after a failure (removes a journal, a staging directory) never races a write still
 * under way, as it would after a parallel stream's {@code forEach}, which rethrows while other workers go on.
 * Items are handed out in order, so the failure thrown is always that of the first failing item.
 */
public final class WorkQueue {
    private final int threads;

    /** File work on one item. */
    @FunctionalInterface
    public interface FileWork<T> {
        void run(T item) throws IOException;
    }

    /** One thread per available processor. */
    public WorkQueue() {
        this(Runtime.getRuntime().availableProcessors());
    }

    WorkQueue(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
    }

    /** {@code work} on every item, on every core; the first failing item's {@code IOException} is thrown as it was. */
    public <T> void forEachFile(List<T> items, FileWork<T> work) throws IOException {
        try {
            map(items.size(), i -> {
                try {
                    work.run(items.get(i));
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {@code work} applied to 0 .. count-1, in item order; the first failing item's exception, others suppressed. */
    public <T> List<T> map(int count, IntFunction<T> work) {
        AtomicReferenceArray<T> results = new AtomicReferenceArray<>(count);
        AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(count);
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Runnable worker = () -> {
            // an item once taken is always run: every item before a failing one runs, so which failure is thrown
            // does not depend on timing
            while (!failed.get()) {
                int i = next.getAndIncrement();
                if (i >= count) {
                    return;
                }
                try {
                    results.set(i, work.apply(i));
                } catch (RuntimeException | Error e) {
                    failures.set(i, e);
                    failed.set(true);
                }
            }
        };
        int helpers = Math.min(threads, count) - 1;
        List<Thread> started = new ArrayList<>(Math.max(helpers, 0));
        for (int t = 0; t < helpers; t++) {
            Thread thread = new Thread(worker, "hardway-worker-" + (t + 1));
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        worker.run();
        boolean interrupted = false;
        for (Thread thread : started) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the helpers end with the queue; leaving before them would race them
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable first = null;
        for (int i = 0; i < count; i++) {
            Throwable f = failures.get(i);
            if (f != null && first == null) {
                first = f;
            } else if (f != null) {
                first.addSuppressed(f);
            }
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error e) {
            throw e;
        }
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(results.get(i));
        }
        return out;
    }
}
