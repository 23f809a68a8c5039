package dev.hardway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** {@code Hardway.generate} in a child JVM ({@link GenerateMain}), which a test can kill, race or starve. */
public final class GenerateProcess {
    public static final Duration LIMIT = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;

    private GenerateProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static GenerateProcess start(Path spec, Path pki, Path out) {
        return start(spec, pki, out, null);
    }

    /** With a golden directory: what hardway:generate does ({@code Golden.generate}), snapshot and report included. */
    public static GenerateProcess start(Path spec, Path pki, Path out, Path golden) {
        return start(List.of(), spec, pki, out, golden);
    }

    /** In a JVM started with {@code jvmOptions}; {@code golden} may be null. */
    public static GenerateProcess start(List<String> jvmOptions, Path spec, Path pki, Path out, Path golden) {
        try {
            Path log = Files.createTempFile("hardway-generate", ".log");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), GenerateMain.class.getName(),
                    spec.toString(), pki.toString(), out.toString()));
            if (golden != null) {
                command.add(golden.toString());
            }
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            return new GenerateProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end and returns the exit code. */
    public static int run(Path spec, Path pki, Path out) {
        return start(spec, pki, out).await();
    }

    public int await() {
        try {
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                fail("generate did not finish within " + LIMIT.toSeconds() + " s: " + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new AssertionError(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no finally block runs. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
