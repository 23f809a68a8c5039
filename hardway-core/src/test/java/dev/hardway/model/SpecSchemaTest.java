package dev.hardway.model;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The published schema and field reference are the generators' output from the model, and a real JSON Schema
 * validator (not hardway's code) accepts every good spec against them. {@code -Dhardway.regenerate=true} rewrites
 * the committed copies.
 */
class SpecSchemaTest {
    static final Path SCHEMA = Path.of("hardway-core/src/main/resources").resolve(SpecSchema.RESOURCE);
    static final Path REFERENCE = Path.of("docs/cluster-yaml.md");

    static Schema schema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SpecSchema.generate(), InputFormat.JSON);
    }

    static List<Error> schemaErrors(String yaml) {
        return schema().validate(yaml, InputFormat.YAML);
    }

    private static void assertCommitted(Path relative, String generated) throws IOException {
        Path file = TestClusters.repositoryRoot().resolve(relative);
        if (Boolean.getBoolean("hardway.regenerate")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(generated, committed, relative + " is out of date with the model; run `mvn -pl hardway-core "
                + "test -Dtest=SpecSchemaTest -Dhardway.regenerate=true` and commit it");
    }

    @Test
    void committedSchema_isTheGeneratorsOutput_andShipsInTheJar() throws IOException {
        assertCommitted(SCHEMA, SpecSchema.generate());
        assertEquals(SpecSchema.generate(), SpecSchema.shipped(), "the jar's copy");
    }

    @Test
    void committedFieldReference_isTheGeneratorsOutput() throws IOException {
        assertCommitted(REFERENCE, SpecReference.generate());
    }

    @Test
    void everyModelField_hasDescriptionExampleAndADefaultUnlessRequired() {
        List<String> missing = new ArrayList<>();
        walk(ClusterSpec.class, "", missing);
        assertEquals(List.of(), missing);
    }

    private static void walk(Class<? extends Record> type, String prefix, List<String> missing) {
        // ModelField.of itself refuses a component without @SpecField
        for (ModelField f : ModelField.of(type)) {
            String path = prefix + f.name();
            if (f.doc().description().isBlank()) {
                missing.add(path + ": description");
            }
            if (f.doc().example().isBlank()) {
                missing.add(path + ": example");
            }
            if (!f.required() && f.doc().defaultValue().isEmpty() && f.doc().defaultRule().isEmpty()) {
                missing.add(path + ": default");
            }
            if (f.section() != null) {
                walk(f.section(), path + ".", missing);
            }
        }
    }

    @Test
    void everyRecordComponentOfTheModel_isAField_soNoneCanBeUndocumented() {
        for (Class<? extends Record> type : List.of(ClusterSpec.class, ApiServerSpec.class, NetworkSpec.class,
                ControllerSpec.class, WorkerSpec.class, PkiSpec.class, ContainerdSpec.class, KubeletSpec.class)) {
            for (var c : type.getRecordComponents()) {
                assertTrue(c.isAnnotationPresent(SpecField.class), type.getSimpleName() + "." + c.getName());
            }
        }
    }

    @Test
    void schema_hasDescriptionAndExamplesOnEveryProperty() {
        String schema = SpecSchema.generate();
        long properties = countFields(ClusterSpec.class);
        assertEquals(properties, count(schema, "\"description\"") - 1, "one description per field, plus the root");
        assertEquals(properties, count(schema, "\"examples\""));
    }

    private static long countFields(Class<? extends Record> type) {
        return ModelField.of(type).stream()
                .mapToLong(f -> 1 + (f.section() == null ? 0 : countFields(f.section()))).sum();
    }

    private static long count(String text, String needle) {
        return (text.length() - text.replace(needle, "").length()) / needle.length();
    }

    static List<Path> goodSpecs() throws IOException {
        Path root = TestClusters.repositoryRoot();
        List<Path> specs = new ArrayList<>();
        try (Stream<Path> samples = Files.list(root.resolve("samples"))) {
            samples.map(d -> d.resolve("cluster.yaml")).filter(Files::exists).sorted().forEach(specs::add);
        }
        Path good = root.resolve("hardway-core/src/test/resources/good-specs");
        if (Files.isDirectory(good)) {
            try (Stream<Path> files = Files.list(good)) {
                files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(specs::add);
            }
        }
        return specs;
    }

    @Test
    void everySampleAndGoodSpec_validatesAgainstTheSchema_andLoads() throws IOException {
        List<Path> specs = goodSpecs();
        assertTrue(specs.size() >= 3, specs.toString());
        for (Path spec : specs) {
            String yaml = Files.readString(spec, StandardCharsets.UTF_8);
            assertEquals(List.of(), schemaErrors(yaml), spec.toString());
            new SpecLoader().load(spec);
        }
    }

    @Test
    void everySampleAndGoodSpec_namesTheSchemaOnItsFirstLine() throws IOException {
        Path root = TestClusters.repositoryRoot();
        for (Path spec : goodSpecs()) {
            String first = Files.readString(spec, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            assertTrue(first.startsWith("# yaml-language-server: $schema="), spec + ": " + first);
            Path target = spec.getParent().resolve(first.substring(first.indexOf('=') + 1)).normalize();
            assertEquals(root.resolve(SCHEMA).normalize(), target, spec + " points elsewhere");
        }
    }

    @Test
    void schema_rejectsWhatItCanExpress() {
        String valid = SpecLoaderTest.VALID;
        assertEquals(List.of(), schemaErrors(valid));
        for (String bad : List.of(
                valid.replace("name: demo", "name: Demo_Cluster"),
                valid.replace("podCidr: 10.200.0.0/24", "podCIDR: 10.200.0.0/24"),
                valid.replace("internalIp: 10.240.0.20", "internalIp: 010.240.000.020"),
                valid.replace("203.0.113.10", "203.0.113.300"),
                valid + "kubelet:\n  maxPods: 1.9\n",
                valid + "pki:\n  caValidityDays: 2147483647\n")) {
            assertFalse(schemaErrors(bad).isEmpty(), bad);
        }
    }

    @Test
    void schemaExamplesAndDefaults_areValuesOfTheirField() {
        // every field's example, set alone into a valid spec at its place, passes the schema
        String schema = SpecSchema.generate();
        if (!schema.contains("\"examples\"")) {
            fail("no examples");
        }
        for (ModelField f : ModelField.of(KubeletSpec.class)) {
            String yaml = SpecLoaderTest.VALID + "kubelet:\n  " + f.name() + ": " + f.doc().example() + "\n";
            assertEquals(List.of(), schemaErrors(yaml), yaml);
        }
        for (ModelField f : ModelField.of(PkiSpec.class)) {
            String yaml = SpecLoaderTest.VALID + "pki:\n  " + f.name() + ": " + f.doc().example() + "\n";
            assertEquals(List.of(), schemaErrors(yaml), yaml);
            new SpecLoader().load(yaml, "cluster.yaml");
        }
    }

    @Test
    void documentedDefaults_areTheDefaultsTheValidatorApplies() {
        // VALID sets no optional section, so explicitSpec() shows exactly what the defaults resolve to
        String yaml = SpecLoaderTest.VALID.replace("  extraSans: [k8s.example.com, 203.0.113.10]\n", "");
        ClusterSpec explicit = new SpecLoader().load(yaml, "cluster.yaml").explicitSpec();
        List<String> checked = new ArrayList<>();
        compareDefaults(ClusterSpec.class, explicit, "", checked);
        assertTrue(checked.containsAll(List.of("pki.keyAlgorithm", "pki.caValidityDays", "pki.validityDays",
                "pki.renewBeforeDays", "kubelet.maxPods", "network.podCidrPrefixLength", "apiServer.extraSans")),
                checked.toString());
        // chosen per host by install.sh: no value to document, and explain leaves it out so that it stays so
        assertEquals("", ModelField.named(KubeletSpec.class, "resolvConf").orElseThrow().doc().defaultValue());
        assertEquals(null, explicit.kubelet().resolvConf());
    }

    private static void compareDefaults(Class<? extends Record> type, Record value, String prefix, List<String> checked) {
        for (ModelField f : ModelField.of(type)) {
            Object actual = f.valueOf(value);
            String path = prefix + f.name();
            if (f.kind() == ModelField.Kind.SECTION && actual != null) {
                compareDefaults(f.section(), (Record) actual, path + ".", checked);
            } else if (!f.doc().defaultValue().isEmpty() && f.kind() != ModelField.Kind.SECTION) {
                var documented = SpecSchema.yaml(f.doc().defaultValue());
                String expected = documented.isArray() ? "[]" : documented.asText();
                assertEquals(expected, actual instanceof List<?> l && l.isEmpty() ? "[]" : String.valueOf(actual), path);
                checked.add(path);
            }
        }
    }

    @Test
    void containerdDefaultRule_namesEachReleasesDefault() {
        // the one default written as prose: it must follow KubernetesRelease
        String rule = ModelField.named(ContainerdSpec.class, "version").orElseThrow().doc().defaultRule();
        for (KubernetesRelease r : KubernetesRelease.values()) {
            assertTrue(rule.contains(r.defaultContainerd().toString()), r + " default " + r.defaultContainerd()
                    + " missing from: " + rule);
            String minor = "1." + r.minor();
            ClusterSpec spec = new SpecLoader().load(SpecLoaderTest.VALID.replace("1.32.3", minor + ".0"), "c")
                    .explicitSpec();
            assertEquals(r.defaultContainerd().toString(), spec.containerd().version(), minor);
        }
    }
}
