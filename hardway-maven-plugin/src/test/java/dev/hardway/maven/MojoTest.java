package dev.hardway.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The goals as Maven calls them, on a scratch infra repo, with their parameters set as Maven would. */
class MojoTest {
    @TempDir
    Path project;
    final RecordingLog log = new RecordingLog();

    @BeforeEach
    void infraRepo() throws IOException {
        Path sample = Path.of(System.getProperty("hardway.repositoryRoot"), "samples", "minimal", "cluster.yaml");
        Files.copy(sample, project.resolve("cluster.yaml"));
    }

    private <M extends AbstractSpecMojo> M configure(M mojo) {
        mojo.basedir = project.toFile();
        mojo.spec = project.resolve("cluster.yaml").toFile();
        mojo.pkiDirectory = project.resolve("pki").toFile();
        mojo.goldenDirectory = project.resolve("golden").toFile();
        mojo.setLog(log);
        return mojo;
    }

    private GenerateMojo generate() {
        GenerateMojo mojo = configure(new GenerateMojo());
        mojo.outputDirectory = project.resolve("target/hardway").toFile();
        return mojo;
    }

    private CheckCertsMojo checkCerts(int threshold) {
        CheckCertsMojo mojo = new CheckCertsMojo();
        mojo.basedir = project.toFile();
        mojo.pkiDirectory = project.resolve("pki").toFile();
        mojo.threshold = threshold;
        mojo.setLog(log);
        return mojo;
    }

    @Test
    void generate_writesBundlesPkiAndGoldenAndLogsWhatItDid() throws Exception {
        generate().execute();

        assertTrue(Files.isRegularFile(project.resolve("target/hardway/worker-0.tar.gz")));
        assertTrue(Files.isRegularFile(project.resolve("pki/ca.crt")));
        assertTrue(Files.isRegularFile(project.resolve("golden/worker-0/FILES")));
        String text = log.text();
        assertTrue(text.contains("[INFO] Cluster demo (Kubernetes 1.32.3): 1 controller, 1 worker, from cluster.yaml"),
                text);
        assertTrue(text.contains("[INFO] PKI pki: created ca"), text);
        assertTrue(text.contains("[INFO] Wrote target/hardway/worker-0.tar.gz"), text);
        assertTrue(text.contains("[INFO] Golden snapshot golden: "), text);
        assertFalse(text.contains("PRIVATE KEY") || text.contains("BEGIN"), "no key material in the log:\n" + text);
    }

    @Test
    void generate_caExpiringWithinAYear_warns() throws Exception {
        Files.writeString(project.resolve("cluster.yaml"), Files.readString(project.resolve("cluster.yaml"))
                + "pki:\n  caValidityDays: 300\n  validityDays: 100\n");
        generate().execute();

        generate().execute();

        assertTrue(log.text().contains("[WARNING] the CA ca expires on "), log.text());
    }

    @Test
    void generate_skip_logsWhyAndWritesNothing() throws Exception {
        GenerateMojo mojo = generate();
        mojo.skip = true;

        mojo.execute();

        assertEquals("[INFO] Skipping hardway:generate because skip is true (hardway.skip)", log.text());
        assertFalse(Files.exists(project.resolve("pki")));
        assertFalse(Files.exists(project.resolve("golden")));
    }

    @Test
    void generate_invalidSpec_isABuildFailureWithTheValidationMessages() throws IOException {
        Files.writeString(project.resolve("cluster.yaml"), Files.readString(project.resolve("cluster.yaml"))
                .replace("clusterDns: 10.32.0.10", "clusterDns: 10.99.0.10"));

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> generate().execute());

        assertTrue(e.getMessage().contains("cluster.yaml:11:3: network.clusterDns: 10.99.0.10 is not inside "
                + "network.serviceCidr"), e.getMessage());
        assertFalse(Files.exists(project.resolve("pki")));
    }

    @Test
    void generate_outputDirectoryIsAFile_isAnExecutionError() throws Exception {
        Files.createDirectories(project.resolve("target"));
        Files.writeString(project.resolve("target/hardway"), "in the way");

        assertThrows(MojoExecutionException.class, () -> generate().execute());
    }

    @Test
    void verify_afterGenerate_passesAndAfterAnEditFailsWithTheDiff() throws Exception {
        generate().execute();
        configure(new VerifyMojo()).execute();
        assertTrue(log.text().contains("[INFO] Golden snapshot golden matches cluster.yaml"), log.text());

        Files.writeString(project.resolve("cluster.yaml"), Files.readString(project.resolve("cluster.yaml"))
                .replace("clusterDns: 10.32.0.10", "clusterDns: 10.32.0.53"));
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> configure(new VerifyMojo()).execute());

        assertTrue(e.getMessage().contains("--- a/worker-0/var/lib/kubelet/kubelet-config.yaml"), e.getMessage());
        assertTrue(e.getMessage().strip().endsWith("commit it with cluster.yaml."), e.getMessage());
    }

    @Test
    void checkCerts_freshPki_printsTheTableAndPasses() throws Exception {
        generate().execute();

        checkCerts(30).execute();

        assertTrue(log.text().contains("[INFO] CERTIFICATE AUTHORITY   EXPIRES"), log.text());
        assertTrue(log.text().contains("[INFO] No certificate expires within 30 days"), log.text());
    }

    @Test
    void checkCerts_thresholdBeyondTheLeavesValidity_failsNamingThem() throws Exception {
        generate().execute();

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> checkCerts(400).execute());

        assertTrue(e.getMessage().contains("  kubelet-worker-0: expires on "), e.getMessage());
    }

    @Test
    void checkCerts_noPki_isABuildFailureWithAHint() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> checkCerts(30).execute());

        assertTrue(e.getMessage().contains("generate the cluster first"), e.getMessage());
    }

    @Test
    void checkCerts_negativeThreshold_isABuildFailure() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> checkCerts(-1).execute());

        assertTrue(e.getMessage().startsWith("threshold: -1"), e.getMessage());
    }
}
