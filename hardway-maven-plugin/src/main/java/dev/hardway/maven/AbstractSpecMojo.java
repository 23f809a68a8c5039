package dev.hardway.maven;

import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/** The parameters of the goals that render a cluster from its spec: {@code generate} and {@code verify}. */
abstract class AbstractSpecMojo extends AbstractHardwayMojo {

    /** The cluster spec, {@code cluster.yaml}. */
    @Parameter(property = "hardway.spec", defaultValue = "${project.basedir}/cluster.yaml", required = true)
    File spec;

    /** Where the CA, keys and certificates persist between runs; outside target/ so mvn clean never destroys the CA. */
    // It holds private keys: keep it out of git, or encrypted in it (sops, git-crypt), and back it up.
    @Parameter(property = "hardway.pkiDirectory", defaultValue = "${project.basedir}/pki", required = true)
    File pkiDirectory;

    /** Optional: templates in this directory override hardway's built-in ones, file by file. */
    @Parameter(property = "hardway.templateDirectory")
    File templateDirectory;

    /** The golden snapshot committed for pull-request review; hardway removes files it no longer generates there. */
    // Default next to cluster.yaml: committed with the spec it mirrors, so a PR shows both; outside target/, so
    // mvn clean keeps it; a directory of its own, because generate prunes it (GoldenDirectory refuses foreign ones).
    @Parameter(property = "hardway.goldenDirectory", defaultValue = "${project.basedir}/golden", required = true)
    File goldenDirectory;
}
