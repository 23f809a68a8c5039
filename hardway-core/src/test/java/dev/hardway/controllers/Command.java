package dev.hardway.controllers;

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

import static org.junit.jupiter.api.Assertions.fail;

/** Runs a program to completion within a time limit and keeps what it printed. */
record Command(List<String> argv, int exitCode, String output) {

    static Command run(Duration limit, List<String> argv) {
        return run(limit, argv, null);
    }

    /** @param directory the working directory, or {@code null} for the current one */
    static Command run(Duration limit, List<String> argv, Path directory) {
        Path log = null;
        Process process = null;
        try {
            log = Files.createTempFile("hardway-command", ".log");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            process = pb.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("did not finish within " + limit.toSeconds() + " s: " + String.join(" ", argv) + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Command(List.copyOf(argv), process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
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
                    // a temp file left behind is harmless
                }
            }
        }
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

    /** For assertion messages: the command and everything it printed. */
    String describe() {
        return String.join(" ", argv) + "\n  exit " + exitCode + "\n" + output;
    }
}
