package dev.hardway.maven;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Golden;
import dev.hardway.api.GoldenVerification;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/**
 * Fails when the committed golden snapshot and what {@code generate} would produce disagree, with a unified diff
 * per differing file, the missing and extra files, and the command that refreshes the snapshot. It renders in
 * memory and writes nothing, not even PKI files. Bind it to the {@code verify} phase so CI catches a
 * cluster.yaml change committed without its snapshot.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractSpecMojo {

    /** The cluster's PKI, only read: its certificates are needed, its private keys are not (CI can go without). */
    @Parameter(property = "hardway.pkiDirectory", defaultValue = "${project.basedir}/pki", required = true)
    File pkiDirectory;

    /** The committed golden snapshot to compare with; only read, never changed. */
    @Parameter(property = "hardway.goldenDirectory", defaultValue = "${project.basedir}/golden", required = true)
    File goldenDirectory;

    /** Skip this goal only, e.g. in a CI job that regenerates; {@code hardway.skip} skips every hardway goal. */
    @Parameter(property = "hardway.verify.skip", defaultValue = "false")
    boolean verifySkip;

    @Override
    String goal() {
        return "verify";
    }

    @Override
    boolean goalSkipped() {
        return verifySkip;
    }

    @Override
    String skipProperty() {
        return "hardway.verify.skip";
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
        GenerationRequest request = RequestMapper.request(spec, null, pkiDirectory, templateDirectory);
        warnUnmatchedTemplates();
        GoldenVerification check = Golden.verify(request, goldenDirectory.toPath());
        check.warnings().forEach(getLog()::warn);
        if (!check.matches()) {
            throw new MojoFailureException(check.report(GENERATE_COMMAND));
        }
        getLog().info("Golden snapshot " + shown(goldenDirectory.toPath()) + " matches " + shown(spec.toPath()));
    }
}
