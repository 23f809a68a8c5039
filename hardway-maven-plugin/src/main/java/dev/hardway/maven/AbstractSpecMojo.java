package dev.hardway.maven;

import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/** The parameters of the goals that render a cluster from its spec: {@code generate} and {@code verify}. */
abstract class AbstractSpecMojo extends AbstractHardwayMojo {

    /** The cluster spec, {@code cluster.yaml}. */
    @Parameter(property = "hardway.spec", defaultValue = "${project.basedir}/cluster.yaml", required = true)
    File spec;

    /**
     * Where the CA, keys and certificates persist between runs. Outside {@code target/} by default, so that
     * {@code mvn clean} never destroys the cluster's CA; keep it out of git or encrypted, it holds private keys.
     */
    @Parameter(property = "hardway.pkiDirectory", defaultValue = "${project.basedir}/pki", required = true)
    File pkiDirectory;

    /** Optional: templates in this directory override hardway's built-in ones, file by file. */
    @Parameter(property = "hardway.templateDirectory")
    File templateDirectory;

    /**
     * The golden snapshot committed for pull-request review: every node's generated files as text, certificates
     * described, no secrets. Next to cluster.yaml by default (committed with it, untouched by {@code mvn clean});
     * hardway owns this directory and removes files it no longer generates.
     */
    @Parameter(property = "hardway.goldenDirectory", defaultValue = "${project.basedir}/golden", required = true)
    File goldenDirectory;
}
