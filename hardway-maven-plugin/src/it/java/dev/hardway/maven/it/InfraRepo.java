package dev.hardway.maven.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A scratch infra repo under {@code target/it/<name>}, copied from {@code samples/} or {@code src/it/projects/}
 * with the plugin version set to the one just built, and real {@code mvn} runs on it. The runs use the isolated
 * local repository that {@code invoker:install} filled with this build's hardway, so they never see another
 * build's; what else they need (the BOMs hardway's POMs import) comes from the user's repositories, as it would
 * for a user: no settings of our own, no mirrors.
 */
final class InfraRepo {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path dir;
    private int runs;

    private InfraRepo(Path dir) {
        this.dir = dir;
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run the integration tests through Maven "
                    + "(mvn verify in hardway-maven-plugin)");
        }
        return value;
    }

    static Path repositoryRoot() {
        return Path.of(property("hardway.repositoryRoot")).toAbsolutePath().normalize();
    }

    /** {@code samples/<sample>/pom.xml} and {@code cluster.yaml}, as a user would check them out. */
    static InfraRepo fromSample(String name, String sample) {
        InfraRepo repo = fresh(name);
        Path from = repositoryRoot().resolve("samples").resolve(sample);
        try {
            Files.copy(from.resolve("cluster.yaml"), repo.dir.resolve("cluster.yaml"));
            String pom = Files.readString(from.resolve("pom.xml"), StandardCharsets.UTF_8);
            String pinned = pom.replaceFirst(
                    "(<artifactId>hardway-maven-plugin</artifactId>\\s*<version>)[^<]+(</version>)",
                    "$1" + property("hardway.version") + "$2");
            if (pinned.equals(pom) && !pom.contains(property("hardway.version"))) {
                throw new IllegalStateException(from.resolve("pom.xml") + " declares no hardway-maven-plugin version");
            }
            Files.writeString(repo.dir.resolve("pom.xml"), pinned, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repo;
    }

    /** {@code src/it/projects/<project>}, with {@code @hardway.version@} in its pom set to the version built. */
    static InfraRepo fromProject(String name, String project) {
        InfraRepo repo = fresh(name);
        Path from = Path.of(property("hardway.it.projects")).resolve(project);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = repo.dir.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Files.writeString(target, text.replace("@hardway.version@", property("hardway.version")),
                        StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repo;
    }

    private static InfraRepo fresh(String name) {
        Path dir = Path.of(property("hardway.it.workDirectory")).resolve(name).toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new InfraRepo(dir);
    }

    Path dir() {
        return dir;
    }

    Path resolve(String relative) {
        return dir.resolve(relative);
    }

    /** Copies {@code samples/<sample>/cluster.yaml} into this repo. */
    InfraRepo withSampleSpec(String sample) {
        try {
            Files.copy(repositoryRoot().resolve("samples").resolve(sample).resolve("cluster.yaml"),
                    dir.resolve("cluster.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    MavenRun mvn(String... arguments) {
        return mvn(Map.of(), arguments);
    }

    /** Runs {@code mvn arguments} in this repo with {@code environment} added to the inherited one. */
    MavenRun mvn(Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>();
        boolean windows = System.getProperty("os.name").startsWith("Windows");
        command.add(Path.of(property("hardway.it.mavenHome"), "bin", windows ? "mvn.cmd" : "mvn").toString());
        command.add("-B");
        command.add("--no-transfer-progress");
        command.add("-Dstyle.color=never");
        command.add("-Dmaven.repo.local=" + property("hardway.it.localRepository"));
        command.addAll(List.of(arguments));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_OPTS");
        pb.environment().remove("MAVEN_ARGS");
        pb.environment().putAll(environment);
        Path log = dir.resolveSibling(dir.getFileName() + "-" + (++runs) + "-"
                + String.join("_", arguments).replaceAll("[^A-Za-z0-9._=-]+", "_") + ".log");
        long start = System.nanoTime();
        try {
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("mvn " + arguments[0] + " did not finish within " + TIMEOUT + "; see " + log);
            }
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            MavenRun run = new MavenRun(List.of(arguments), p.exitValue(), output, time, log);
            System.out.printf("[%s] mvn %s: exit %d, %d ms%n", dir.getFileName(), String.join(" ", arguments),
                    run.exitCode(), time.toMillis());
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SHA-256 of every regular file under {@code relative}, by path relative to it. */
    SortedMap<String, String> checksums(String relative) {
        Path root = dir.resolve(relative);
        SortedMap<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(f).toString().replace('\\', '/'), sha256(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
