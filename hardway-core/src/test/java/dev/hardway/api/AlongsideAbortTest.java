package dev.hardway.api;

import dev.hardway.io.DirectoryLock;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What runs alongside generate (the golden snapshot's staging) is thrown away under the run's locks when the run
 * fails: the next run, waiting for them, stages in the same places and must never find this one's files there.
 */
class AlongsideAbortTest {
    @TempDir
    Path tmp;

    private final List<String> locksAtAbort = new ArrayList<>();
    private final List<RuntimeException> aborted = new ArrayList<>();

    private GenerationRequest request() {
        return TestClusters.request(TestClusters.sample("minimal"), tmp.resolve("pki"))
                .outputDirectory(tmp.resolve("out")).build();
    }

    /** Records, on abort, whether this JVM still holds the PKI and output directories' locks. */
    private abstract class Recording implements Hardway.Alongside {
        @Override
        public void abort(RuntimeException cause) {
            aborted.add(cause);
            locksAtAbort.add("pki " + heldHere(tmp.resolve("pki")) + ", out " + heldHere(tmp.resolve("out")));
        }
    }

    @Test
    void failureWhileStaging_abortsUnderBothLocks() {
        RuntimeException failure = new IllegalStateException("staging failed");
        assertAbortedUnderBothLocks(failure, new Recording() {
            @Override
            public void ready() {
                throw failure;
            }
        });
    }

    @Test
    void failureWhileDescribing_abortsUnderBothLocks() {
        RuntimeException failure = new IllegalStateException("describing failed");
        assertAbortedUnderBothLocks(failure, new Recording() {
            @Override
            public SortedMap<String, byte[]> describe(GenerationResult result) {
                throw failure;
            }
        });
    }

    private void assertAbortedUnderBothLocks(RuntimeException failure, Recording alongside) {
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Hardway.generate(request(), alongside));

        assertSame(failure, thrown);
        assertEquals(List.of(failure), aborted);
        assertEquals(List.of("pki held, out held"), locksAtAbort);
    }

    @Test
    void successfulRun_abortsNothing() {
        Hardway.generate(request(), new Recording() {
        });

        assertEquals(List.of(), aborted);
    }

    /** "held" when this JVM holds the directory's lock (the lock is per process, so trying it here says so). */
    private static String heldHere(Path directory) {
        try (FileChannel ch = FileChannel.open(directory.resolve(DirectoryLock.FILE), StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return "held by another process";
            }
            lock.release();
            return "free";
        } catch (OverlappingFileLockException e) {
            return "held";
        } catch (IOException e) {
            return "no lock file (" + e.getMessage() + ")";
        }
    }
}
