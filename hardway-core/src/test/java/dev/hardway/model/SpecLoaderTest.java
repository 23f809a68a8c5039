package dev.hardway.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecLoaderTest {

    static final String VALID = """
            name: demo
            kubernetesVersion: 1.32.3
            apiServer:
              endpoint: https://server.kubernetes.local:6443
              extraSans: [k8s.example.com, 203.0.113.10]
            network:
              clusterCidr: 10.200.0.0/16
              serviceCidr: 10.32.0.0/24
              clusterDns: 10.32.0.10
              clusterDomain: cluster.local
            controllers:
              - name: controller-0
                internalIp: 10.240.0.10
            workers:
              - name: worker-0
                internalIp: 10.240.0.20
                podCidr: 10.200.0.0/24
              - name: worker-1
                internalIp: 10.240.0.21
            """;

    private final SpecLoader loader = new SpecLoader();

    private List<Problem> problems(String yaml) {
        return assertThrows(InvalidSpecException.class, () -> loader.load(yaml, "cluster.yaml")).problems();
    }

    private static Problem at(List<Problem> problems, String path) {
        return problems.stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " in " + problems));
    }

    @Test
    void load_contractSample_resolvesWithDefaults() {
        ResolvedCluster c = loader.load(VALID, "cluster.yaml");
        assertEquals("demo", c.name());
        assertEquals(KubernetesRelease.V1_32, c.release());
        assertEquals("10.32.0.1", c.kubernetesServiceIp());
        assertEquals("server.kubernetes.local", c.apiEndpointHost());
        assertEquals(6443, c.apiEndpointPort());
        assertEquals("10.200.0.0/24", c.workers().get(0).podCidr());
        assertEquals("10.200.1.0/24", c.workers().get(1).podCidr(), "allocated: the lowest free /24");
        assertEquals(KeyAlgorithm.RSA_2048, c.keyAlgorithm());
        assertEquals(365, c.validityDays());
        assertEquals(3650, c.caValidityDays());
        assertEquals(KubernetesRelease.V1_32.defaultContainerd(), c.containerdVersion());
    }

    @Test
    void load_apiServerAddress_isKeptAndMustBeAnAddressForAHostName() {
        String withAddress = VALID.replace("  extraSans:", "  address: 10.240.0.10\n  extraSans:");
        assertEquals("10.240.0.10", loader.load(withAddress, "cluster.yaml").spec().apiServer().address());

        Problem notIp = at(problems(VALID.replace("  extraSans:", "  address: lb.example.com\n  extraSans:")),
                "apiServer.address");
        assertTrue(notIp.message().contains("'lb.example.com' is not an IP address"), notIp.message());
        Problem ipEndpoint = at(problems(VALID.replace("https://server.kubernetes.local:6443",
                "https://10.240.0.10:6443").replace("  extraSans:", "  address: 10.240.0.10\n  extraSans:")),
                "apiServer.address");
        assertTrue(ipEndpoint.message().contains("remove apiServer.address"), ipEndpoint.message());
    }

    @Test
    void load_unknownField_namesPathLineAndSuggestsTheKnownOne() {
        String yaml = VALID.replace("    podCidr: 10.200.0.0/24", "    podCIDR: 10.200.0.0/24");
        Problem p = at(problems(yaml), "workers[0].podCIDR");
        assertTrue(p.message().contains("did you mean 'podCidr'"), p.message());
        assertEquals(17, p.line());
    }

    @Test
    void load_misspelledFieldThatIsAlsoWritten_keepsTheWrittenOnesOwnProblem() {
        List<Problem> problems = problems(VALID.replace("kubernetesVersion: 1.32.3",
                "kubernetesversion: 1.32.3\nkubernetesVersion: 1.99.0"));

        assertEquals(List.of("kubernetesVersion", "kubernetesversion"),
                problems.stream().map(Problem::path).sorted().toList(), problems.toString());
        assertTrue(at(problems, "kubernetesVersion").message().contains("1.99.0 is not supported"), problems.toString());
    }

    @Test
    void load_misspelledRequiredSection_isOneProblem_notAlsoTheMissingSectionOrItsFields() {
        List<Problem> problems = problems(VALID.replace("network:", "netwrok:"));

        assertEquals(List.of("netwrok"), problems.stream().map(Problem::path).toList(), problems.toString());
        assertTrue(at(problems, "netwrok").message().contains("did you mean 'network'?"), problems.toString());
    }

    @Test
    void load_manyProblems_reportsAllAtOnceWithLines() {
        String yaml = VALID
                .replace("name: demo", "name: Demo_Cluster")
                .replace("clusterDns: 10.32.0.10", "clusterDns: 10.99.0.10")
                .replace("internalIp: 10.240.0.21", "internalIp: 10.240.0.20")
                .replace("podCidr: 10.200.0.0/24", "podCidr: 10.201.0.0/24");
        List<Problem> problems = problems(yaml);
        assertEquals(1, at(problems, "name").line());
        assertEquals(9, at(problems, "network.clusterDns").line());
        assertTrue(at(problems, "workers[0].podCidr").message().contains("not inside network.clusterCidr"));
        assertEquals(17, at(problems, "workers[0].podCidr").line());
        assertTrue(at(problems, "workers[1].internalIp").message().contains("already the address of workers[0]"));
        assertEquals(19, at(problems, "workers[1].internalIp").line());
    }

    @Test
    void load_exceptionMessage_listsFileLinePathAndSaysNothingWasWritten() {
        String yaml = VALID.replace("clusterDns: 10.32.0.10", "clusterDns: 10.32.0.1");
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> loader.load(yaml, "cluster.yaml"));
        assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
        assertTrue(e.getMessage().contains("cluster.yaml:9:3: network.clusterDns: 10.32.0.1 is the first address"),
                e.getMessage());
    }

    @Test
    void load_wrongTypes_reportedTogetherWithSemanticProblems() {
        String yaml = VALID.replace("""
                controllers:
                  - name: controller-0
                    internalIp: 10.240.0.10
                """, "controllers: controller-0\n")
                .replace("clusterDomain: cluster.local", "clusterDomain: Cluster..local");
        List<Problem> problems = problems(yaml);
        assertTrue(at(problems, "controllers").message().contains("expected a list"), problems.toString());
        at(problems, "network.clusterDomain");
    }

    @Test
    void load_pkiAsString_reportsTypeProblem() {
        List<Problem> problems = problems(VALID + "pki: strong\n");
        assertTrue(at(problems, "pki").message().startsWith("expected a mapping"), problems.toString());
    }

    @Test
    void load_aDirectoryForTheSpec_isAUserMistakeNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> new SpecLoader().load(dir));

        assertEquals(dir.toString(), e.source());
        assertTrue(e.getMessage().contains("is a directory; name the cluster.yaml file itself"), e.getMessage());
    }

    @Test
    void load_malformedYaml_reportsLine() {
        List<Problem> problems = problems("name: demo\nnetwork: [\n");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().startsWith("the YAML is not valid here: "), problems.toString());
        assertTrue(problems.get(0).line() != null && problems.get(0).line() >= 2, problems.toString());
    }

    @Test
    void load_emptyFile_isOneProblem() {
        List<Problem> problems = problems("  \n# only a comment\n");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().startsWith("the file is empty"), problems.toString());
    }

    @Test
    void load_missingFile_namesIt(@TempDir Path dir) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> loader.load(dir.resolve("cluster.yaml")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void load_fromFile_usesFileNameInMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, VALID.replace("kubernetesVersion: 1.32.3", "kubernetesVersion: 1.29.0"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> loader.load(file));
        assertTrue(e.getMessage().contains(file + ":2:1: kubernetesVersion: 1.29.0 is not supported"), e.getMessage());
        assertTrue(e.getMessage().contains("1.32 through 1.36"), e.getMessage());
    }

    @Test
    void load_oversizedFile_isRefusedBeforeParsing() {
        String yaml = VALID + "# " + "x".repeat(SpecText.MAX_BYTES) + "\n";
        Problem p = problems(yaml).get(0);
        assertTrue(p.message().contains("hardway reads at most 1048576 bytes"), p.message());
    }

    @Test
    void load_utf8ByteOrderMark_isAccepted() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = VALID.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] both = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, both, 0, 3);
        System.arraycopy(text, 0, both, 3, text.length);
        assertEquals("demo", loader.load(both, "cluster.yaml").name());
    }
}
