package dev.hardway.io;

import dev.hardway.model.OutputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * An exclusive lock on a directory that hardway owns, held for a whole run, so that two runs never read and
 * write one PKI (or one output directory) at the same time. It is an OS file lock: it is released when the
 * process dies, so a killed run never leaves the directory locked. Within one JVM (parallel Maven modules
 * sharing a PKI) the same lock file is contended through {@link OverlappingFileLockException}, which is polled
 * like a lock held by another process.
 */
public final class DirectoryLock implements AutoCloseable {
    public static final String FILE = ".hardway.lock";
    private static final long POLL_MILLIS = 100;

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code directory} (which must exist), waiting up to {@code timeout} for another run to finish.
     *
     * @param waiting told once, with a sentence naming the lock file, when the lock is held elsewhere
     * @throws DirectoryBusyException when the lock is still held after {@code timeout}
     */
    public static DirectoryLock acquire(Path directory, Duration timeout, Consumer<String> waiting) {
        Path file = directory.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new OutputException(file, "cannot open the lock file " + file + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        try {
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    return new DirectoryLock(channel, lock);
                }
                if (!told) {
                    waiting.accept("another hardway run is using " + directory + " (it holds " + file
                            + "); waiting up to " + timeout.toSeconds() + " s for it to finish");
                    told = true;
                }
                if (System.nanoTime() > deadline) {
                    throw new OutputException(directory, directory + " is still in use by another hardway run after "
                            + timeout.toSeconds() + " s (" + file + " is locked); let that run finish, then retry");
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(channel);
            throw new OutputException(directory, "interrupted while waiting for the lock on " + directory);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Creates {@code directory} 0700 if it is missing, locks it, and finishes or discards the
     * {@link FileTransaction} an interrupted earlier run left there: what every run does before it reads state.
     */
    public static DirectoryLock ownedDirectory(Path directory, Duration timeout, Consumer<String> waiting)
            throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.toAbsolutePath().getParent());
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another run created it first
            }
        }
        DirectoryLock lock = acquire(directory, timeout, waiting);
        try {
            FileTransaction.recover(directory);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    private static FileLock tryLock(FileChannel channel) {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot lock " + channel, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was locked
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }
}
