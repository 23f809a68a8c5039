package dev.hardway.maven;

import dev.hardway.api.GenerationListener;
import dev.hardway.api.GenerationRequest;
import org.apache.maven.plugin.MojoFailureException;

import java.io.File;

/** The goals' parameters as a hardway-core {@link GenerationRequest}: the one place that knows both sides. */
final class RequestMapper {
    private RequestMapper() {
    }

    /**
     * @param outputDirectory {@code null} for goals that write no bundles
     * @throws MojoFailureException when a parameter names a file or directory that is not there, or is not one
     */
    static GenerationRequest request(File spec, File outputDirectory, File pkiDirectory, File templateDirectory)
            throws MojoFailureException {
        return request(spec, outputDirectory, pkiDirectory, templateDirectory, GenerationListener.NONE);
    }

    /**
     * @param outputDirectory {@code null} for goals that write no bundles
     * @param listener        told about each phase, to log progress
     * @throws MojoFailureException when a parameter names a file or directory that is not there, or is not one
     */
    static GenerationRequest request(File spec, File outputDirectory, File pkiDirectory, File templateDirectory,
                                     GenerationListener listener) throws MojoFailureException {
        checkSpec(spec);
        checkPkiDirectory(pkiDirectory);
        if (templateDirectory != null && !templateDirectory.isDirectory()) {
            throw new MojoFailureException("templateDirectory: " + templateDirectory + " is not a directory; "
                    + "create it with the templates to override, or remove <templateDirectory> "
                    + "(-Dhardway.templateDirectory) to use the built-in ones");
        }
        return GenerationRequest.builder()
                .specFile(spec.toPath())
                .outputDirectory(outputDirectory == null ? null : outputDirectory.toPath())
                .pkiDirectory(pkiDirectory.toPath())
                .templateDirectory(templateDirectory == null ? null : templateDirectory.toPath())
                .listener(listener)
                .build();
    }

    /** @throws MojoFailureException unless {@code spec} is a regular file, saying what it is instead */
    static void checkSpec(File spec) throws MojoFailureException {
        if (spec.isDirectory()) {
            File inside = new File(spec, "cluster.yaml");
            throw new MojoFailureException("spec: " + spec + " is a directory, not a file; point <spec> "
                    + "(-Dhardway.spec) at the cluster's YAML file"
                    + (inside.isFile() ? ", e.g. -Dhardway.spec=" + inside : ""));
        }
        if (!spec.isFile()) {
            throw new MojoFailureException("spec: " + spec + " does not exist; write the cluster's cluster.yaml "
                    + "next to pom.xml, or point <spec> (-Dhardway.spec) at it");
        }
    }

    /**
     * @throws MojoFailureException when {@code pkiDirectory}, or the nearest part of its path that exists, is not
     *                              a directory. Checked here because the goals that only read the PKI would
     *                              otherwise take a file for an empty PKI, and generate would fail on its lock file.
     */
    static void checkPkiDirectory(File pkiDirectory) throws MojoFailureException {
        File existing = pkiDirectory.getAbsoluteFile();
        while (existing != null && !existing.exists()) {
            existing = existing.getParentFile();
        }
        if (existing == null || existing.isDirectory()) {
            return;
        }
        String where = existing.equals(pkiDirectory.getAbsoluteFile()) ? pkiDirectory + " is a file"
                : pkiDirectory + " lies under " + existing + ", a file";
        throw new MojoFailureException("pkiDirectory: " + where + "; point it (<pkiDirectory>, "
                + "-Dhardway.pkiDirectory) at a directory of its own, e.g. pki/ next to cluster.yaml");
    }
}
