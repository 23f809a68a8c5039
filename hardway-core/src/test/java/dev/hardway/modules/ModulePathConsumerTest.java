package dev.hardway.modules;

import dev.hardway.testing.ProcessRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hardway-core as a Java tool on the module path sees it: a consumer module that {@code requires dev.hardway.core}
 * compiles against the exported packages, cannot compile against an internal one, and renders the sample cluster
 * when run, so the descriptor opens what FreeMarker and the built-in templates need.
 */
class ModulePathConsumerTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final Path SAMPLE = Path.of("../samples/minimal/cluster.yaml").toAbsolutePath().normalize();
    private static String modulePath;

    @BeforeAll
    static void modulePath() throws IOException {
        String dependencies = Files.readString(Path.of("target/runtime-module-path.txt"), StandardCharsets.UTF_8)
                .strip();
        modulePath = CLASSES.toAbsolutePath() + (dependencies.isEmpty() ? "" : java.io.File.pathSeparator + dependencies);
    }

    @Test
    void consumerOfTheExportedPackages_compilesAndRendersTheSample(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        List<String> errors = compile(dir, out, """
                package consumer;

                import dev.hardway.api.GenerationRequest;
                import dev.hardway.api.Hardway;
                import dev.hardway.api.RenderedCluster;
                import dev.hardway.model.HardwayException;
                import java.nio.file.Path;

                public class Main {
                    public static void main(String[] args) {
                        try {
                            RenderedCluster r = Hardway.render(GenerationRequest.builder()
                                    .specFile(Path.of(args[0])).pkiDirectory(Path.of(args[1])).build());
                            r.bundles().forEach(b -> System.out.println(b.node() + " " + b.role() + " "
                                    + b.find("/var/lib/kubelet/kubelet-config.yaml").map(f -> f.text().contains("kind:")).orElse(false)));
                        } catch (HardwayException e) {
                            System.out.println("error " + e.getMessage());
                        }
                    }
                }
                """);
        assertEquals(List.of(), errors);

        ProcessRun run = ProcessRun.run(Duration.ofMinutes(2), List.of(tool("java"), "--module-path",
                out.toAbsolutePath() + java.io.File.pathSeparator + modulePath, "-m", "hardway.consumer/consumer.Main",
                SAMPLE.toString(), dir.resolve("pki").toString()));
        assertEquals(0, run.exitCode(), run::describe);
        assertEquals("worker-0 worker true", run.output().lines().filter(l -> l.startsWith("worker-0")).findFirst()
                .orElse(""), run::describe);
        assertFalse(Files.exists(dir.resolve("pki")), "render wrote the PKI directory");
    }

    @Test
    void consumerOfAnInternalPackage_doesNotCompile(@TempDir Path dir) throws IOException {
        List<String> errors = compile(dir, dir.resolve("out"), """
                package consumer;

                public class Main {
                    public static void main(String[] args) {
                        System.out.println(dev.hardway.pki.PkiIssuer.class);
                    }
                }
                """);
        assertTrue(errors.stream().anyMatch(e -> e.contains("dev.hardway.pki") && e.contains("not visible")),
                () -> "an internal package was usable from another module: " + errors);
    }

    /** Compiles the consumer with the JDK's javac; returns its error lines, empty when it compiled. */
    private static List<String> compile(Path dir, Path out, String mainSource) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("consumer"));
        Files.writeString(src.resolve("module-info.java"), "module hardway.consumer { requires dev.hardway.core; }\n");
        Files.writeString(src.resolve("consumer/Main.java"), mainSource);
        ProcessRun run = ProcessRun.run(Duration.ofMinutes(2), List.of(tool("javac"), "--module-path", modulePath,
                "-d", out.toString(), src.resolve("module-info.java").toString(),
                src.resolve("consumer/Main.java").toString()));
        List<String> errors = run.output().lines().filter(l -> l.contains("error:")).collect(Collectors.toList());
        assertEquals(run.exitCode() == 0, errors.isEmpty(), run::describe);
        return errors;
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

}
