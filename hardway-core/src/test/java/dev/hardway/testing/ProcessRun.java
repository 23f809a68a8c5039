package dev.hardway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One program run to completion within a time limit, what it printed (stdout and stderr) kept: the one process
 * runner of the controller, real-host and fault tests. A run over its limit is killed with its children and fails
 * the test with its output.
 */
public record ProcessRun(List<String> argv, int exitCode, String output, Duration took) {

    public static ProcessRun run(Duration limit, List<String> argv) {
        return run(limit, argv, null);
    }

    /** @param directory the working directory, or {@code null} for the current one */
    public static ProcessRun run(Duration limit, List<String> argv, Path directory) {
        Path log = null;
        Process process = null;
        long started = System.nanoTime();
        try {
            log = Files.createTempFile("hardway-run", ".log");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            process = pb.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("did not finish within " + limit.toSeconds() + " s: " + String.join(" ", argv)
                        + "\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new ProcessRun(List.copyOf(argv), process.exitValue(),
                    Files.readString(log, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a log left in /tmp is harmless
                }
            }
        }
    }

    /** Runs and fails the test, with the command and its output, unless it exits 0. */
    public static ProcessRun ok(Duration limit, List<String> argv) {
        ProcessRun run = run(limit, argv);
        if (run.exitCode != 0) {
            throw new AssertionError(run.describe());
        }
        return run;
    }

    /** The words of a command line; lists among {@code parts} are spliced in. */
    public static List<String> argv(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(p -> out.add(String.valueOf(p)));
            } else {
                out.add(String.valueOf(part));
            }
        }
        return out;
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** For assertion messages: the command and everything it printed. */
    public String describe() {
        return String.join(" ", argv) + "\n  exit " + exitCode + "\n" + output;
    }
}
