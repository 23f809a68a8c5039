package dev.hardway.api;

import dev.hardway.golden.GoldenDirectory;
import dev.hardway.model.GoldenFiles;

import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A golden snapshot staged on a thread of its own while {@link Hardway#generate} writes the PKI and the bundles:
 * on a first run of a large cluster both are mostly file-system work (thousands of files and directories, synced
 * keys), which overlaps well. Nothing of it becomes visible before {@link #commit}. The run waits for it
 * ({@link #awaitStaged}) before the PKI commits, so a golden directory that cannot be written fails the run while
 * nothing has changed; a failed run waits for the staging to end and throws it away, so no thread outlives the
 * run.
 */
final class GoldenStaging {
    private final GoldenDirectory golden;
    private FutureTask<GoldenDirectory.Staged> task;
    private GoldenDirectory.Staged staged;
    private int files;
    private boolean committing;
    private GoldenFiles committed;

    GoldenStaging(GoldenDirectory golden) {
        this.golden = golden;
    }

    /**
     * Starts staging {@code snapshot} over {@code current}, the directory as read under the run's locks; a snapshot
     * staged before (a run that rendered again) is thrown away.
     */
    void start(SortedMap<String, String> snapshot, SortedMap<String, String> current) {
        if (task != null || staged != null) {
            abort(null);
        }
        files = snapshot.size();
        task = new FutureTask<>(() -> golden.stage(snapshot, current));
        Thread thread = new Thread(task, "hardway-golden");
        thread.setDaemon(true);
        thread.start();
    }

    int files() {
        return files;
    }

    /**
     * Waits until the snapshot is staged, ready to be put in place; the staging's failure is thrown as it was,
     * and leaves nothing to abort (the directory cleans up after its own failed staging).
     */
    void awaitStaged() {
        if (staged == null) {
            try {
                staged = await();
            } finally {
                task = null;
            }
        }
    }

    /** Puts the staged snapshot in place; from here on, {@link #abort} leaves it alone. */
    void commit() {
        awaitStaged();
        committing = true;
        committed = staged.commit();
    }

    /** What {@link #commit} changed in the golden directory. */
    GoldenFiles committed() {
        if (committed == null) {
            throw new IllegalStateException("the golden snapshot was not committed");
        }
        return committed;
    }

    /** The staged snapshot, once written; the staging's own failure is thrown as it was. */
    private GoldenDirectory.Staged await() {
        if (task == null) {
            throw new IllegalStateException("generate wrote its outputs without describing them");
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the staging thread ends on its own; leaving before it would race it
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** After a failed run: waits for the staging, then removes what it wrote; its own failures join {@code cause}. */
    void abort(RuntimeException cause) {
        if (committing) {
            return; // a commit that failed half-way is finished by the next run's recovery, not undone here
        }
        try {
            if (staged != null) {
                staged.abort();
            } else if (task != null) {
                await().abort();
            }
        } catch (RuntimeException e) {
            if (cause != null && cause != e) { // the staging's own failure may be the run's
                cause.addSuppressed(e);
            }
        } finally {
            task = null;
            staged = null;
        }
    }
}
