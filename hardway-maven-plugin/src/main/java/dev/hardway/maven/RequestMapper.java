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
     * @throws MojoFailureException when a parameter names a file or directory that is not there
     */
    static GenerationRequest request(File spec, File outputDirectory, File pkiDirectory, File templateDirectory)
            throws MojoFailureException {
        return request(spec, outputDirectory, pkiDirectory, templateDirectory, GenerationListener.NONE);
    }

    /**
     * @param outputDirectory {@code null} for goals that write no bundles
     * @param listener        told about each phase, to log progress
     * @throws MojoFailureException when a parameter names a file or directory that is not there
     */
    static GenerationRequest request(File spec, File outputDirectory, File pkiDirectory, File templateDirectory,
                                     GenerationListener listener) throws MojoFailureException {
        if (!spec.isFile()) {
            throw new MojoFailureException("spec: " + spec + " does not exist; write the cluster's cluster.yaml "
                    + "next to pom.xml, or point <spec> (-Dhardway.spec) at it");
        }
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
}
