package dev.hardway.maven;

import dev.hardway.api.GenerationRequest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestMapperTest {
    @TempDir
    Path project;

    private File spec() throws IOException {
        return Files.writeString(project.resolve("cluster.yaml"), "name: demo\n").toFile();
    }

    @Test
    void request_everyParameter_landsInTheRequest() throws Exception {
        File templates = Files.createDirectory(project.resolve("templates")).toFile();

        GenerationRequest r = RequestMapper.request(spec(), project.resolve("target/hardway").toFile(),
                project.resolve("pki").toFile(), templates);

        assertEquals(project.resolve("cluster.yaml"), r.specFile());
        assertEquals(project.resolve("target/hardway"), r.outputDirectory());
        assertEquals(project.resolve("pki"), r.pkiDirectory());
        assertEquals(templates.toPath(), r.templateDirectory());
        assertNull(r.spec());
    }

    @Test
    void request_noTemplateDirectoryNorOutput_usesTheBuiltInTemplatesAndWritesNoBundles() throws Exception {
        GenerationRequest r = RequestMapper.request(spec(), null, project.resolve("pki").toFile(), null);

        assertTrue(r.templates().isEmpty());
        assertNull(r.outputDirectory());
    }

    @Test
    void request_specMissing_failsNamingTheParameter() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> RequestMapper.request(
                project.resolve("cluster.yaml").toFile(), null, project.resolve("pki").toFile(), null));

        assertTrue(e.getMessage().startsWith("spec: " + project.resolve("cluster.yaml") + " does not exist"),
                e.getMessage());
        assertTrue(e.getMessage().contains("-Dhardway.spec"), e.getMessage());
    }

    @Test
    void request_templateDirectoryMissing_failsNamingTheParameter() {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> RequestMapper.request(spec(), null,
                project.resolve("pki").toFile(), project.resolve("nope").toFile()));

        assertTrue(e.getMessage().startsWith("templateDirectory: "), e.getMessage());
    }

    @Test
    void request_specIsADirectory_saysSoAndPointsAtTheFileInIt() throws Exception {
        spec();
        File dir = project.toFile();

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> RequestMapper.request(
                dir, null, project.resolve("pki").toFile(), null));

        assertEquals("spec: " + dir + " is a directory, not a file; point <spec> (-Dhardway.spec) at the "
                + "cluster's YAML file, e.g. -Dhardway.spec=" + project.resolve("cluster.yaml"), e.getMessage());
    }

    @Test
    void request_pkiDirectoryIsAFile_failsNamingTheParameter() throws Exception {
        File pki = Files.writeString(project.resolve("pki"), "not a directory").toFile();

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> RequestMapper.request(
                spec(), null, pki, null));

        assertEquals("pkiDirectory: " + pki + " is a file; point it (<pkiDirectory>, -Dhardway.pkiDirectory) at "
                + "a directory of its own, e.g. pki/ next to cluster.yaml", e.getMessage());
    }

    @Test
    void request_pkiDirectoryUnderAFile_namesTheFile() throws Exception {
        Path file = Files.writeString(project.resolve("secrets"), "not a directory");

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> RequestMapper.request(
                spec(), null, file.resolve("pki").toFile(), null));

        assertTrue(e.getMessage().startsWith("pkiDirectory: " + file.resolve("pki") + " lies under " + file
                + ", a file; "), e.getMessage());
    }
}
