package dev.hardway.realhost;

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

/** One program run to completion within a time limit, its output (stdout and stderr) kept. */
record Exec(List<String> argv, int exitCode, String output, Duration took) {

    static Exec run(Duration limit, List<String> argv) {
        Path log = null;
        Process process = null;
        long started = System.nanoTime();
        try {
            log = Files.createTempFile("hardway-realhost", ".log");
            process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("did not finish within " + limit.toSeconds() + " s: " + String.join(" ", argv)
                        + "\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Exec(List.copyOf(argv), process.exitValue(), Files.readString(log, StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - started));
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
    static Exec ok(Duration limit, List<String> argv) {
        Exec e = run(limit, argv);
        if (e.exitCode != 0) {
            throw new AssertionError(e.describe());
        }
        return e;
    }

    static List<String> argv(Object... parts) {
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

    boolean succeeded() {
        return exitCode == 0;
    }

    String describe() {
        return String.join(" ", argv) + "\n  exit " + exitCode + "\n" + output;
    }
}
