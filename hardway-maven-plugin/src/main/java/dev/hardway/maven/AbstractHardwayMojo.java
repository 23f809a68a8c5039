package dev.hardway.maven;

import dev.hardway.model.HardwayException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What every hardway goal shares: the global and the per-goal {@code skip}, and the mapping of hardway's
 * exceptions onto Maven's. A mistake the user can fix in cluster.yaml, the PKI, a template or an output directory
 * ({@link HardwayException}: one subclass per kind, with its details) is a BUILD FAILURE showing hardway's
 * message; anything else is an execution error.
 *
 * <p>Mojos hold no static mutable state: two infra modules of one reactor may run hardway goals in parallel
 * ({@code mvn -T 2}).
 */
abstract class AbstractHardwayMojo extends AbstractMojo {
    /** How users refresh the bundles, the golden snapshot and expiring certificates. */
    static final String GENERATE_COMMAND = "mvn hardway:generate";

    /** Skip every hardway goal, e.g. on a build that must not touch the cluster's files. */
    @Parameter(property = "hardway.skip", defaultValue = "false")
    boolean skip;

    /** The infra repo's directory, to show paths relative to it in the log; none for hardway:init without a pom. */
    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    File basedir;

    /**
     * Where Maven was started: in a reactor of several infra modules ({@code mvn -T 2} over an aggregator pom), log
     * lines name {@code east/pki}, not a bare {@code pki} that could be any module's.
     */
    @Parameter(defaultValue = "${session.executionRootDirectory}", readonly = true)
    File executionRoot;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping hardway:" + goal() + " because hardway.skip is true");
            return;
        }
        if (goalSkipped()) {
            getLog().info("Skipping hardway:" + goal() + " because " + skipProperty() + " is true");
            return;
        }
        try {
            run();
        } catch (HardwayException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage() + ": " + e.getCause().getMessage(), e);
        }
    }

    /** The goal's name, for messages. */
    abstract String goal();

    /** Whether this goal's own skip parameter is set; goals without one keep this default. */
    boolean goalSkipped() {
        return false;
    }

    /** The user property of this goal's own skip parameter, e.g. {@code hardway.generate.skip}. */
    String skipProperty() {
        return "hardway." + goal() + ".skip";
    }

    abstract void run() throws MojoExecutionException, MojoFailureException;

    /**
     * {@code path} relative to where Maven was started (or to the project) when it lies inside it, for short log
     * lines that still tell a reactor's modules apart.
     */
    String shown(Path path) {
        File root = executionRoot != null ? executionRoot : basedir;
        Path base = root == null ? null : root.toPath().toAbsolutePath().normalize();
        Path p = path.toAbsolutePath().normalize();
        return base != null && p.startsWith(base) && !p.equals(base) ? base.relativize(p).toString() : p.toString();
    }
}
