package dev.hardway.testing;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** A bounded wait for something a test started (a server listening, a cluster healthy): never an open loop. */
public final class Poll {
    private Poll() {
    }

    /** A condition that may read files or run a program to tell. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws IOException;
    }

    /** Whether {@code condition} held within {@code limit}, asked every {@code interval}. */
    public static boolean until(Duration limit, Duration interval, Condition condition) throws IOException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.holds()) {
                return true;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return false;
    }

    /** Whether openssl {@code s_server}, logging to {@code log}, listens within 15 s: it prints ACCEPT then. */
    public static boolean opensslListening(java.nio.file.Path log) throws IOException {
        return until(Duration.ofSeconds(15), Duration.ofMillis(100),
                () -> java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("ACCEPT"));
    }
}
