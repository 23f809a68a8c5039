package dev.hardway.maven;

import dev.hardway.api.ClusterPlan;
import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/**
 * Shows, per node, what generating now would change compared with the committed golden snapshot, the way
 * {@code terraform plan} does: a summary line per changed node with the services {@code install.sh} would
 * restart there, the files added, removed or changing mode, and a unified diff of each changed file. Certificates
 * appear as descriptions and secrets not at all. It renders in memory and writes nothing, and it does not fail on
 * differences (that is {@code verify}'s job).
 */
@Mojo(name = "plan", threadSafe = true)
public class PlanMojo extends AbstractSpecMojo {

    /** The cluster's PKI, only read: its certificates are needed, its private keys are not. */
    @Parameter(property = "hardway.pkiDirectory", defaultValue = "${project.basedir}/pki", required = true)
    File pkiDirectory;

    /** The committed golden snapshot the plan compares with; only read, never changed. */
    @Parameter(property = "hardway.goldenDirectory", defaultValue = "${project.basedir}/golden", required = true)
    File goldenDirectory;

    /** Skip this goal only; {@code hardway.skip} skips every hardway goal. */
    @Parameter(property = "hardway.plan.skip", defaultValue = "false")
    boolean planSkip;

    @Override
    String goal() {
        return "plan";
    }

    @Override
    boolean goalSkipped() {
        return planSkip;
    }

    @Override
    String skipProperty() {
        return "hardway.plan.skip";
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
        ClusterPlan plan = ClusterPlan.of(request, goldenDirectory.toPath());
        getLog().info("Plan: " + shown(spec.toPath()) + " against the golden snapshot in "
                + shown(goldenDirectory.toPath()) + " (a/ is committed, b/ what generate would write)");
        plan.lines().forEach(getLog()::info);
        Hardway.upgradePlan(request).ifPresent(upgrade -> upgrade.lines().forEach(getLog()::info));
    }
}
