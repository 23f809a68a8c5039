package dev.hardway.maven.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One forked Maven build and what it printed.
 *
 * @param arguments what followed {@code mvn} (besides the isolated repository)
 * @param exitCode  0 for BUILD SUCCESS
 * @param output    stdout and stderr, interleaved as the user sees them
 * @param time      wall-clock time of the build
 * @param log       where the output was saved, under target/it/
 */
record MavenRun(List<String> arguments, int exitCode, String output, Duration time, Path log) {

    /**
     * The output as the user reads it past Maven's log levels: {@code [INFO] }, {@code [WARNING] } and
     * {@code [ERROR] } are stripped from the start of each line (Maven prefixes every line of a failure message).
     */
    String text() {
        return output.replaceAll("(?m)^\\[(INFO|WARNING|ERROR)\\] ?", "");
    }

    boolean succeeded() {
        return exitCode == 0;
    }

    /** For assertion messages: the command and its whole output. */
    String describe() {
        return "mvn " + String.join(" ", arguments) + " exited " + exitCode + " after " + time.toMillis() + " ms (log "
                + log + "):\n" + output;
    }
}
