package dev.hardway.maven;

import dev.hardway.model.StarterSpec;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a commented starter {@code cluster.yaml} (one controller and two workers unless told otherwise) that
 * generates as it is. Never overwrites an existing file. Runs without a pom, in an empty directory.
 */
@Mojo(name = "init", requiresProject = false, threadSafe = true)
public class InitMojo extends AbstractHardwayMojo {

    /** Where to write the starter spec; {@code cluster.yaml} next to the pom, or in the current directory. */
    @Parameter(property = "hardway.spec")
    File spec;

    /** Where {@code mvn} runs: the place for cluster.yaml when there is no pom yet. */
    @Parameter(defaultValue = "${session.executionRootDirectory}", readonly = true)
    File executionRoot;

    /** How many control-plane hosts (etcd members) the starter lists: an odd number. */
    @Parameter(property = "hardway.controllers", defaultValue = "1", required = true)
    int controllers;

    /** How many worker hosts the starter lists; with 0 the controllers are the Nodes (one: a single-node cluster). */
    @Parameter(property = "hardway.workers", defaultValue = "2", required = true)
    int workers;

    /** {@code file} relative to the project, or to the current directory when there is no project. */
    private static String where(File home, Path file) {
        Path base = home == null ? null : home.toPath().toAbsolutePath().normalize();
        Path p = file.toAbsolutePath().normalize();
        return base != null && p.startsWith(base) ? base.relativize(p).toString() : p.toString();
    }

    @Override
    String goal() {
        return "init";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        File home = basedir != null ? basedir : executionRoot;
        Path file = spec != null ? spec.toPath() : home.toPath().resolve("cluster.yaml");
        if (Files.exists(file)) {
            throw new MojoFailureException("spec: " + where(home, file) + " already exists; hardway:init never "
                    + "overwrites a spec. Edit it, or move it away to start over");
        }
        String text;
        try {
            text = StarterSpec.text(controllers, workers);
        } catch (IllegalArgumentException e) {
            // no cause: Maven appends a cause's message that the message does not contain, and this one says it all
            throw new MojoFailureException(e.getMessage()
                    .replace("controllers: ", "controllers (hardway.controllers): ")
                    .replace("workers: ", "workers (hardway.workers): "));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // CREATE_NEW: a file that appeared since the check above is still not overwritten
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new MojoFailureException("spec: " + where(home, file) + " already exists; hardway:init never "
                    + "overwrites a spec", e);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
        }
        getLog().info("Wrote " + where(home, file) + ": " + controllers
                + (controllers == 1 ? " controller, " : " controllers, ") + workers + (workers == 1 ? " worker" : " workers") + ". Edit the names and addresses, then run "
                + GENERATE_COMMAND);
    }
}
