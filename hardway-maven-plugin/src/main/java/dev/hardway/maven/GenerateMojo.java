package dev.hardway.maven;

import dev.hardway.api.Golden;
import dev.hardway.api.GoldenUpdate;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/**
 * Generates the cluster: one install bundle per node and {@code admin.kubeconfig} in {@code outputDirectory}, the
 * PKI kept in {@code pkiDirectory} (created once, then reused; leaf certificates inside cluster.yaml's
 * {@code pki.renewBeforeDays} are re-issued with the same CA), and the golden snapshot in {@code goldenDirectory}
 * kept current. Files whose content is unchanged are not rewritten.
 */
@Mojo(name = "generate", threadSafe = true)
public class GenerateMojo extends AbstractSpecMojo {

    /** Where the node bundles ({@code <node>.tar.gz}) and {@code admin.kubeconfig} are written. */
    @Parameter(property = "hardway.outputDirectory", defaultValue = "${project.build.directory}/hardway",
            required = true)
    File outputDirectory;

    @Override
    String goal() {
        return "generate";
    }

    @Override
    void run() throws MojoFailureException {
        GoldenUpdate update = Golden.generate(
                RequestMapper.request(spec, outputDirectory, pkiDirectory, templateDirectory),
                goldenDirectory.toPath());
        new GenerationLog(getLog(), this::shown).log(update, spec.toPath(), pkiDirectory.toPath(),
                outputDirectory.toPath(), goldenDirectory.toPath());
    }
}
