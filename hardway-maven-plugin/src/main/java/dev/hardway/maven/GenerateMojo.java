package dev.hardway.maven;

import dev.hardway.api.GenerationReport;
import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Golden;
import dev.hardway.api.GoldenRun;
import dev.hardway.api.GoldenUpdate;
import dev.hardway.api.UpToDate;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.nio.file.Path;

/**
 * Generates the cluster: one install bundle per node, {@code admin.kubeconfig} and {@code report.json} in
 * {@code outputDirectory}, the PKI kept in {@code pkiDirectory} (created once, then reused; leaf certificates
 * inside cluster.yaml's {@code pki.renewBeforeDays} are re-issued with the same CA), and the golden snapshot in
 * {@code goldenDirectory} kept current. Files whose content is unchanged are not rewritten.
 */
@Mojo(name = "generate", threadSafe = true)
public class GenerateMojo extends AbstractSpecMojo {

    /** Where the node bundles ({@code <node>.tar.gz}), {@code admin.kubeconfig} and {@code report.json} are written. */
    @Parameter(property = "hardway.outputDirectory", defaultValue = "${project.build.directory}/hardway",
            required = true)
    File outputDirectory;

    /** Where the CA, keys and certificates persist; created on the first run, then reused and renewed in place. */
    // Outside target/ so mvn clean never destroys the CA. It holds private keys: keep it out of git (or encrypted
    // in it: sops, git-crypt) and back it up.
    @Parameter(property = "hardway.pkiDirectory", defaultValue = "${project.basedir}/pki", required = true)
    File pkiDirectory;

    /** The golden snapshot to keep current: changed files are rewritten, files no longer generated removed. */
    // Default next to cluster.yaml: committed with the spec it mirrors, so a PR shows both; outside target/, so
    // mvn clean keeps it; a directory of its own, because generate prunes it (GoldenDirectory refuses foreign ones).
    @Parameter(property = "hardway.goldenDirectory", defaultValue = "${project.basedir}/golden", required = true)
    File goldenDirectory;

    /**
     * Generate even when the last run left everything as it still is. Without it, a run whose spec, templates,
     * hardway version, PKI, outputs and golden snapshot are unchanged since the last one (and with no certificate
     * due for renewal) only says so.
     */
    @Parameter(property = "hardway.force", defaultValue = "false")
    boolean force;

    /** Skip this goal only; {@code hardway.skip} skips every hardway goal. */
    @Parameter(property = "hardway.generate.skip", defaultValue = "false")
    boolean generateSkip;

    @Override
    String goal() {
        return "generate";
    }

    @Override
    boolean goalSkipped() {
        return generateSkip;
    }

    @Override
    String skipProperty() {
        return "hardway.generate.skip";
    }

    @Override
    File pkiDirectory() {
        return pkiDirectory;
    }

    @Override
    File goldenDirectory() {
        return goldenDirectory;
    }

    @Override
    void run() throws MojoFailureException {
        GenerationRequest request = RequestMapper.request(spec, outputDirectory, pkiDirectory, templateDirectory,
                new ProgressLog(getLog()));
        warnUnmatchedTemplates();
        GoldenRun run = force ? Golden.generate(request, goldenDirectory.toPath())
                : Golden.generateIfChanged(request, goldenDirectory.toPath());
        GenerationLog log = new GenerationLog(getLog(), this::shown);
        if (run instanceof UpToDate upToDate) {
            log.log(upToDate, spec.toPath(), outputDirectory.toPath(), goldenDirectory.toPath());
        } else if (run instanceof GoldenUpdate update) {
            Path report = outputDirectory.toPath().resolve(GenerationReport.FILE_NAME);
            log.log(update, spec.toPath(), pkiDirectory.toPath(), outputDirectory.toPath(), goldenDirectory.toPath(),
                    report);
        }
    }
}
