package dev.hardway.maven;

import dev.hardway.api.CertificateCheck;
import dev.hardway.api.CertificateReport;
import dev.hardway.api.GenerationRequest;
import dev.hardway.api.Hardway;
import dev.hardway.model.ExpiryReport;
import dev.hardway.model.HardwayException;
import dev.hardway.model.ResolvedCluster;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints every certificate of the PKI directory with its expiry, residual time and issuing CA, like
 * {@code kubeadm certs check-expiration}, and fails when any expires within {@code threshold} days. With
 * {@code -Dhardway.format=json} it also writes the report as JSON to {@code reportFile}, for monitoring and CI
 * annotations, before failing. Only reads the PKI.
 */
@Mojo(name = "check-certs", threadSafe = true)
public class CheckCertsMojo extends AbstractHardwayMojo {

    /** The PKI directory to check, as {@code generate} keeps it; only read. */
    @Parameter(property = "hardway.pkiDirectory", defaultValue = "${project.basedir}/pki", required = true)
    File pkiDirectory;

    /** Fail when a certificate expires within this many days. */
    @Parameter(property = "hardway.threshold", defaultValue = "30", required = true)
    int threshold;

    /** {@code text}: the table in the log; {@code json}: the table and the JSON report in {@code reportFile}. */
    @Parameter(property = "hardway.format", defaultValue = "text", required = true)
    String format;

    /** Where {@code -Dhardway.format=json} writes the report (schema: hardway-core's CertificateReport). */
    @Parameter(property = "hardway.reportFile", defaultValue = "${project.build.directory}/hardway/certificates.json",
            required = true)
    File reportFile;

    /** The cluster spec, only read: when it exists, the JSON report says on which nodes each certificate is. */
    @Parameter(property = "hardway.spec", defaultValue = "${project.basedir}/cluster.yaml", required = true)
    File spec;

    /** Skip this goal only; {@code hardway.skip} skips every hardway goal. */
    @Parameter(property = "hardway.checkCerts.skip", defaultValue = "false")
    boolean checkCertsSkip;

    @Override
    String goal() {
        return "check-certs";
    }

    @Override
    boolean goalSkipped() {
        return checkCertsSkip;
    }

    @Override
    String skipProperty() {
        return "hardway.checkCerts.skip";
    }

    @Override
    void run() throws MojoFailureException, MojoExecutionException {
        if (threshold < 0) {
            throw new MojoFailureException("threshold: " + threshold + " is negative; give the number of days "
                    + "ahead to look for expiring certificates, 30 by default");
        }
        String wanted = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        if (!wanted.equals("text") && !wanted.equals("json")) {
            throw new MojoFailureException("format: " + format + " is not a report format; use text (the default) "
                    + "or json (-Dhardway.format=json)");
        }
        RequestMapper.checkPkiDirectory(pkiDirectory);
        ExpiryReport report = CertificateCheck.run(pkiDirectory.toPath(), Duration.ofDays(threshold));
        report.table().lines().forEach(getLog()::info);
        if (wanted.equals("json")) {
            writeJson(report);
        }
        if (!report.passes()) {
            throw new MojoFailureException(report.failureMessage(GENERATE_COMMAND, renewal()));
        }
        getLog().info("No certificate expires within " + threshold + " days");
    }

    /** The spec's renewal settings, for the advice; none when there is no spec that loads. */
    private Optional<ExpiryReport.Renewal> renewal() {
        if (spec == null || !spec.isFile()) {
            return Optional.empty();
        }
        try {
            ResolvedCluster cluster = Hardway.resolve(GenerationRequest.builder().specFile(spec.toPath())
                    .pkiDirectory(pkiDirectory.toPath()).build());
            return Optional.of(new ExpiryReport.Renewal(cluster.renewBeforeDays(), cluster.validityDays()));
        } catch (HardwayException e) {
            return Optional.empty(); // the advice then gives the default; check-certs reads the PKI
        }
    }

    private void writeJson(ExpiryReport report) throws MojoExecutionException {
        CertificateReport.Placements placements = CertificateReport.Placements.NONE;
        if (spec != null && spec.isFile()) {
            try {
                placements = CertificateReport.placements(GenerationRequest.builder().specFile(spec.toPath())
                        .pkiDirectory(pkiDirectory.toPath()).build());
            } catch (HardwayException e) {
                getLog().warn("The JSON report names no nodes: " + shown(spec.toPath()) + " does not render ("
                        + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }
        Path target = reportFile.toPath();
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(target, CertificateReport.json(report, placements), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("reportFile: cannot write " + target + ": " + e.getMessage(), e);
        }
        getLog().info("Wrote the JSON report to " + shown(target) + " (schema version "
                + CertificateReport.SCHEMA_VERSION + ")");
    }
}
