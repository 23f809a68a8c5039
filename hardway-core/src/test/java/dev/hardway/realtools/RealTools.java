package dev.hardway.realtools;

import dev.hardway.testing.ToolLookup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real programs these tests run against generated bundles and runs them with a timeout, capturing their
 * output. Lookup order: {@code <repo>/.tools/usr/bin} (Debian 13 tools unpacked by
 * {@code scripts/install-test-tools.sh}), then {@code PATH}, then the sbin directories a non-login shell may lack.
 * A missing tool fails the test with a message saying how to install it; nothing is ever skipped.
 */
final class RealTools {
    static final String INSTALL_HINT = ToolLookup.INSTALL_HINT;
    /** Where Debian's containernetworking-plugins puts the CNI plugins. */
    static final Path CNI_PLUGIN_DIR = Path.of("/usr/lib/cni");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private RealTools() {
    }

    /** The executable {@code name}: see {@link ToolLookup#tool}. */
    static Path tool(String name) {
        return ToolLookup.tool(name);
    }

    /** A CNI plugin binary from Debian's containernetworking-plugins. */
    static Path cniPlugin(String name) {
        Path plugin = CNI_PLUGIN_DIR.resolve(name);
        if (!Files.isExecutable(plugin)) {
            throw new AssertionError("CNI plugin " + plugin + " not found (package containernetworking-plugins): "
                    + INSTALL_HINT);
        }
        return plugin;
    }

    static void requireRoot(String why) {
        ToolLookup.requireRoot(why);
    }

    /** A finished process: its command line, exit code and output. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** The last non-empty line of stdout. */
        String lastLine() {
            List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }

        /** Fails unless the exit code is 0, showing the command and everything it printed. */
        Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("command failed\n" + describe());
            }
            return this;
        }
    }

    /** A command to run: program and arguments, plus optional stdin, environment and working directory. */
    static final class Command {
        private final List<String> argv;
        private byte[] stdin = new byte[0];
        private final Map<String, String> env = new java.util.LinkedHashMap<>();
        private Path directory;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Command(List<String> argv) {
            this.argv = List.copyOf(argv);
        }

        Command stdin(byte[] input) {
            this.stdin = input.clone();
            return this;
        }

        Command stdin(Path file) {
            try {
                return stdin(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Command env(String name, String value) {
            env.put(name, value);
            return this;
        }

        Command directory(Path dir) {
            this.directory = dir;
            return this;
        }

        Command timeout(Duration limit) {
            this.timeout = limit;
            return this;
        }

        Result run() {
            try {
                return execute();
            } catch (IOException e) {
                throw new AssertionError("could not run " + String.join(" ", argv) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + String.join(" ", argv), e);
            }
        }

        /** Runs and fails unless the exit code is 0. */
        Result runOk() {
            return run().assertSuccess();
        }

        private Result execute() throws IOException, InterruptedException {
            Path out = Files.createTempFile("hw-tool-", ".out");
            Path err = Files.createTempFile("hw-tool-", ".err");
            Path in = Files.createTempFile("hw-tool-", ".in");
            try {
                Files.write(in, stdin);
                ProcessBuilder pb = new ProcessBuilder(argv)
                        .redirectInput(in.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                pb.environment().putAll(env);
                if (directory != null) {
                    pb.directory(directory.toFile());
                }
                Process process = pb.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError("timed out after " + timeout.toSeconds() + " s: "
                            + String.join(" ", argv) + "\n--- stdout so far ---\n" + read(out)
                            + "\n--- stderr so far ---\n" + read(err));
                }
                return new Result(argv, process.exitValue(), read(out), read(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
                Files.deleteIfExists(in);
            }
        }

        private static String read(Path file) throws IOException {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
    }

    /** A command whose first word is looked up with {@link #tool(String)}. */
    static Command command(String tool, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(tool(tool).toString());
        argv.addAll(List.of(args));
        return new Command(argv);
    }

    /** A command given as a full argument vector (the program already resolved). */
    static Command command(List<String> argv) {
        return new Command(argv);
    }

    static Result run(List<String> argv) {
        return new Command(argv).run();
    }
}
