package dev.hardway.maven;

import dev.hardway.model.TemplateOverrides;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/**
 * The parameters of the goals that render a cluster from its spec: {@code generate}, {@code verify} and
 * {@code plan}. {@code pkiDirectory} and {@code goldenDirectory} are declared by each goal, with a Javadoc that says
 * what that goal does there (generate writes both, the others only read).
 */
abstract class AbstractSpecMojo extends AbstractHardwayMojo {

    /** The cluster spec, {@code cluster.yaml}. */
    @Parameter(property = "hardway.spec", defaultValue = "${project.basedir}/cluster.yaml", required = true)
    File spec;

    /** Optional: templates in this directory override hardway's built-in ones, file by file. */
    @Parameter(property = "hardway.templateDirectory")
    File templateDirectory;

    /**
     * Warns about each file in {@code templateDirectory} that replaces no built-in template: FreeMarker only ever
     * asks for the built-in names, so a misspelled override would otherwise change nothing without a word.
     */
    void warnUnmatchedTemplates() {
        TemplateOverrides.unmatched(templateDirectory == null ? null : templateDirectory.toPath())
                .forEach(getLog()::warn);
    }

    /** The PKI directory; each goal declares it, with what it does there. */
    abstract File pkiDirectory();

    /** The golden snapshot directory; each goal declares it, with what it does there. */
    abstract File goldenDirectory();
}
