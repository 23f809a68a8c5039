package dev.hardway.maven;

import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecLoader;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hardway:init and hardway:explain as Maven calls them. */
class InitExplainMojoTest {
    @TempDir
    Path project;
    final RecordingLog log = new RecordingLog();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private InitMojo init(int controllers, int workers) {
        InitMojo mojo = new InitMojo();
        mojo.basedir = project.toFile();
        mojo.spec = project.resolve("cluster.yaml").toFile();
        mojo.controllers = controllers;
        mojo.workers = workers;
        mojo.setLog(log);
        return mojo;
    }

    private ExplainMojo explain() {
        ExplainMojo mojo = new ExplainMojo();
        mojo.basedir = project.toFile();
        mojo.spec = project.resolve("cluster.yaml").toFile();
        mojo.pkiDirectory = project.resolve("pki").toFile();
        mojo.stdout = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        mojo.setLog(log);
        return mojo;
    }

    private String printed() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void init_writesAStarterOfTheAskedSizeThatLoads() throws Exception {
        init(3, 5).execute();

        ResolvedCluster c = new SpecLoader().load(project.resolve("cluster.yaml"));
        assertEquals(3, c.controllers().size());
        assertEquals(5, c.workers().size());
        assertTrue(log.text().contains("[INFO] Wrote cluster.yaml: 3 controllers, 5 workers."), log.text());
    }

    @Test
    void init_writesAGitignoreKeepingThePkiAndTargetOutOfGit() throws Exception {
        init(1, 2).execute();

        List<String> lines = Files.readAllLines(project.resolve(".gitignore"));
        assertTrue(lines.contains("/pki/"), lines.toString());
        assertTrue(lines.contains("/target/"), lines.toString());
        assertTrue(log.text().contains("[INFO] Wrote .gitignore: /pki/ and /target/ stay out of git"), log.text());
    }

    @Test
    void init_gitignore_asGitReadsIt_keepsSecretsAndAKilledRunsScratchOut_butNotTheSnapshot() throws Exception {
        init(1, 2).execute();
        git("init", "-q");

        // what a run killed in its golden commit leaves: the journal inside golden/, a first snapshot's staging
        for (String ignored : List.of("pki/ca.key", "target/hardway/worker-0.tar.gz",
                "golden/.hardway-journal/files/worker-0/FILES", ".golden.hardway-new/worker-0/FILES")) {
            assertEquals(0, git("check-ignore", "-q", ignored), ignored + " is not ignored");
        }
        for (String tracked : List.of("cluster.yaml", "golden/worker-0/FILES", "golden/.hardway-golden")) {
            assertEquals(1, git("check-ignore", "-q", tracked), tracked + " is ignored");
        }
    }

    /** git's exit status, run in the project (check-ignore: 0 ignored, 1 not). */
    private int git(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", project.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("git " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() > 1) {
            throw new AssertionError("git " + String.join(" ", args) + ": " + output);
        }
        return p.exitValue();
    }

    @Test
    void init_pkiDirectoryElsewhereInTheRepo_isTheOneIgnored() throws Exception {
        InitMojo mojo = init(1, 2);
        mojo.pkiDirectory = project.resolve("secrets/pki").toFile();

        mojo.execute();

        List<String> lines = Files.readAllLines(project.resolve(".gitignore"));
        assertTrue(lines.contains("/secrets/pki/"), lines.toString());
        assertFalse(lines.contains("/pki/"), lines.toString());
    }

    @Test
    void init_existingGitignoreWithoutThePki_isKeptAndWarnedAbout() throws Exception {
        Files.writeString(project.resolve(".gitignore"), "*.iml\n/target/\n");

        init(1, 2).execute();

        assertEquals("*.iml\n/target/\n", Files.readString(project.resolve(".gitignore")));
        assertTrue(log.text().contains("[WARNING] .gitignore does not ignore the PKI directory /pki/: add the line "
                + "/pki/ to it."), log.text());
    }

    @Test
    void init_existingGitignoreThatIgnoresThePki_isKeptWithoutAWord() throws Exception {
        for (String mine : List.of("# mine\npki/*\n", "/pki\n", "target/\n/pki/*.key\npki/encryption-key\n")) {
            Files.writeString(project.resolve(".gitignore"), mine);
            Files.deleteIfExists(project.resolve("cluster.yaml"));

            init(1, 2).execute();

            assertEquals(mine, Files.readString(project.resolve(".gitignore")));
            assertFalse(log.text().contains("gitignore"), mine + ": " + log.text());
        }
    }

    @Test
    void init_existingSpec_isNeverOverwritten() throws Exception {
        Files.writeString(project.resolve("cluster.yaml"), "mine\n");

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> init(1, 2).execute());

        assertTrue(e.getMessage().contains("cluster.yaml already exists; hardway:init never overwrites"),
                e.getMessage());
        assertEquals("mine\n", Files.readString(project.resolve("cluster.yaml")));
    }

    @Test
    void init_evenControllers_failsNamingTheProperty() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> init(2, 2).execute());

        assertTrue(e.getMessage().contains("controllers (hardway.controllers): 2 is not an odd number"),
                e.getMessage());
        assertFalse(Files.exists(project.resolve("cluster.yaml")));
    }

    @Test
    void init_oneControllerNoWorkers_writesASingleNodeClusterThatGenerates() throws Exception {
        init(1, 0).execute();

        Path spec = project.resolve("cluster.yaml");
        ResolvedCluster c = new SpecLoader().load(spec);
        assertEquals(0, c.workers().size());
        assertEquals(List.of("controller-0"), c.kubeletNodes().stream().map(ResolvedCluster.Worker::name).toList());
        assertTrue(log.text().contains("[INFO] Wrote cluster.yaml: 1 controller, 0 workers."), log.text());
        dev.hardway.api.Hardway.generate(dev.hardway.api.GenerationRequest.builder().specFile(spec)
                .pkiDirectory(project.resolve("pki")).outputDirectory(project.resolve("out")).build());
        assertTrue(Files.exists(project.resolve("out/controller-0.tar.gz")));
    }

    @Test
    void init_tooManyWorkers_failsOnceNamingTheProperty() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> init(1, 231).execute());

        assertTrue(e.getMessage().contains("workers (hardway.workers): 231 is not between 0 and 230"), e.getMessage());
        // Maven prints, after the message, the message of every cause that the message does not already contain
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            assertTrue(e.getMessage().contains(cause.getMessage()), "Maven would print the problem twice: "
                    + e.getMessage() + ": " + cause.getMessage());
        }
        assertFalse(Files.exists(project.resolve("cluster.yaml")));
    }

    @Test
    void explain_printsEveryDefaultAndAllocatedSubnet() throws Exception {
        init(1, 2).execute();

        explain().execute();

        String text = printed();
        assertTrue(text.contains("\n    podCidr: 10.200.1.0/24\n"), text);
        assertTrue(text.contains("\n  renewBeforeDays: 30\n"), text);
        assertTrue(text.contains("\n  podCidrPrefixLength: 24\n"), text);
        assertTrue(text.contains("\n  maxPods: 110\n"), text);
    }

    @Test
    void explain_underQuiet_stillPrintsTheYamlToStandardOutput() throws Exception {
        init(1, 2).execute();
        RecordingLog quiet = new RecordingLog(RecordingLog.Level.ERROR);
        ExplainMojo mojo = explain();
        mojo.setLog(quiet);

        mojo.execute();

        // what `mvn -q hardway:explain > full.yaml` leaves in full.yaml: the YAML alone, loading to the cluster
        Path redirected = project.resolve("full.yaml");
        Files.writeString(redirected, printed());
        SpecLoader loader = new SpecLoader();
        assertEquals(loader.load(project.resolve("cluster.yaml")).explicitSpec(), loader.load(redirected).spec());
        assertTrue(printed().startsWith("# cluster.yaml with every default filled in "
                + "(kubelet.resolvConf aside: install.sh picks it per host)\n"), printed());
        assertEquals(List.of(), quiet.lines);
        assertFalse(log.text().contains("podCidr"), "the YAML went to the log too: " + log.text());
    }

    @Test
    void explain_toAFile_writesYamlThatLoadsToTheSameCluster() throws Exception {
        init(1, 2).execute();
        ExplainMojo mojo = explain();
        mojo.output = project.resolve("explained.yaml").toFile();

        mojo.execute();

        SpecLoader loader = new SpecLoader();
        assertEquals(loader.load(project.resolve("cluster.yaml")).explicitSpec(),
                loader.load(project.resolve("explained.yaml")).spec());
        assertEquals("", printed());
        assertTrue(log.text().contains("[INFO] Wrote explained.yaml"), log.text());
    }

    @Test
    void explain_afterAMiddleWorkerIsRemoved_showsTheSubnetsTheOthersKeep() throws Exception {
        init(1, 3).execute();
        Path spec = project.resolve("cluster.yaml");
        dev.hardway.api.Hardway.generate(dev.hardway.api.GenerationRequest.builder().specFile(spec)
                .pkiDirectory(project.resolve("pki")).outputDirectory(project.resolve("out")).build());
        // drop worker-1's entry (its name line and the lines up to the next list item)
        String yaml = Files.readString(spec);
        Files.writeString(spec, yaml.replaceAll("(?s)  - name: worker-1\n.*?(?=  - name: worker-2)", ""));

        explain().execute();

        String text = printed();
        assertFalse(text.contains("worker-1"), text);
        assertTrue(text.contains("\n    podCidr: 10.200.0.0/24\n"), text);
        assertTrue(text.contains("\n    podCidr: 10.200.2.0/24\n"), text);
        assertFalse(text.contains("podCidr: 10.200.1.0/24"), text);
    }

    @Test
    void explain_specIsADirectoryOrPkiDirectoryAFile_saysWhich() throws Exception {
        init(1, 2).execute();
        ExplainMojo dir = explain();
        dir.spec = project.toFile();
        Files.writeString(project.resolve("pki-file"), "in the way");
        ExplainMojo pkiFile = explain();
        pkiFile.pkiDirectory = project.resolve("pki-file").toFile();

        MojoFailureException e = assertThrows(MojoFailureException.class, dir::execute);
        MojoFailureException f = assertThrows(MojoFailureException.class, pkiFile::execute);

        assertTrue(e.getMessage().startsWith("spec: " + project + " is a directory, not a file"), e.getMessage());
        assertTrue(f.getMessage().startsWith("pkiDirectory: " + project.resolve("pki-file") + " is a file; "),
                f.getMessage());
        assertEquals("", printed());
    }

    @Test
    void explain_invalidSpec_isABuildFailureWithTheProblems() throws Exception {
        Files.writeString(project.resolve("cluster.yaml"), "name: demo\nname: again\n");

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> explain().execute());

        assertTrue(e.getMessage().contains("cluster.yaml:2:1: name: 'name' appears twice"), e.getMessage());
    }
}
