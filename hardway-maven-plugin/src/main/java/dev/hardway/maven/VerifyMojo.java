package dev.hardway.maven;

import dev.hardway.api.Golden;
import dev.hardway.api.GoldenVerification;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Fails when the committed golden snapshot and what {@code generate} would produce disagree, with a unified diff
 * per differing file, the missing and extra files, and the command that refreshes the snapshot. It renders in
 * memory and writes nothing, not even PKI files. Bind it to the {@code verify} phase so CI catches a
 * cluster.yaml change committed without its snapshot.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractSpecMojo {

    @Override
    String goal() {
        return "verify";
    }

    @Override
    void run() throws MojoFailureException {
        GoldenVerification check = Golden.verify(
                RequestMapper.request(spec, null, pkiDirectory, templateDirectory), goldenDirectory.toPath());
        check.warnings().forEach(getLog()::warn);
        if (!check.matches()) {
            throw new MojoFailureException(check.report(GENERATE_COMMAND));
        }
        getLog().info("Golden snapshot " + shown(goldenDirectory.toPath()) + " matches " + shown(spec.toPath()));
    }
}
