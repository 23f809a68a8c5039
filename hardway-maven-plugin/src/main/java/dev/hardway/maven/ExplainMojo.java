package dev.hardway.maven;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecWriter;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Prints the spec as hardway reads it: every default filled in and every allocated pod subnet written out, as
 * YAML that loads to the same cluster. Pod subnets are those generation gives: a node keeps the subnet recorded in
 * the PKI directory's cluster state. Prints to standard output, even under {@code mvn -q}; writes nothing unless
 * {@code hardway.output} names a file.
 */
@Mojo(name = "explain", threadSafe = true)
public class ExplainMojo extends AbstractHardwayMojo {

    /** The cluster spec, {@code cluster.yaml}. */
    @Parameter(property = "hardway.spec", defaultValue = "${project.basedir}/cluster.yaml", required = true)
    File spec;

    /** The cluster's PKI, only read: its cluster state records the pod subnets already given to nodes. */
    @Parameter(property = "hardway.pkiDirectory", defaultValue = "${project.basedir}/pki", required = true)
    File pkiDirectory;

    /** Optional: write the resolved spec to this file instead of standard output. */
    @Parameter(property = "hardway.output")
    File output;

    /**
     * Where the YAML goes without {@code hardway.output}. Not the logger: the YAML is this goal's product, and
     * {@code mvn -q hardway:explain > full.yaml} must still get it (as {@code help:evaluate -q -DforceStdout}).
     */
    PrintStream stdout = System.out;

    @Override
    String goal() {
        return "explain";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        RequestMapper.checkSpec(spec);
        RequestMapper.checkPkiDirectory(pkiDirectory);
        ResolvedCluster cluster = Hardway.resolve(GenerationRequest.builder().specFile(spec.toPath())
                .pkiDirectory(pkiDirectory.toPath()).build());
        String yaml = "# " + shown(spec.toPath()) + " with every default filled in (kubelet.resolvConf aside: install.sh picks it per host)\n"
                + SpecWriter.toYaml(cluster.explicitSpec());
        if (output == null) {
            // one call: System.out locks per call, so a parallel build (-T) cannot interleave two specs' lines
            stdout.print(yaml.endsWith("\n") ? yaml : yaml + "\n");
            stdout.flush();
            return;
        }
        try {
            Files.writeString(output.toPath(), yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + output + ": " + e.getMessage(), e);
        }
        getLog().info("Wrote " + shown(output.toPath()));
    }
}
