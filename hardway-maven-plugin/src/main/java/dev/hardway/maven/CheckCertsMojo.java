package dev.hardway.maven;

import dev.hardway.api.CertificateCheck;
import dev.hardway.pki.ExpiryReport;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.time.Duration;

/**
 * Prints every certificate of the PKI directory with its expiry, residual time and issuing CA, like
 * {@code kubeadm certs check-expiration}, and fails when any expires within {@code threshold} days. Only reads.
 */
@Mojo(name = "check-certs", threadSafe = true)
public class CheckCertsMojo extends AbstractHardwayMojo {

    /** The PKI directory to check, as {@code generate} keeps it. */
    @Parameter(property = "hardway.pkiDirectory", defaultValue = "${project.basedir}/pki", required = true)
    File pkiDirectory;

    /** Fail when a certificate expires within this many days. */
    @Parameter(property = "hardway.threshold", defaultValue = "30", required = true)
    int threshold;

    @Override
    String goal() {
        return "check-certs";
    }

    @Override
    void run() throws MojoFailureException {
        if (threshold < 0) {
            throw new MojoFailureException("threshold: " + threshold + " is negative; give the number of days "
                    + "ahead to look for expiring certificates, 30 by default");
        }
        ExpiryReport report = CertificateCheck.run(pkiDirectory.toPath(), Duration.ofDays(threshold));
        report.table().lines().forEach(getLog()::info);
        if (!report.passes()) {
            throw new MojoFailureException(report.failureMessage(GENERATE_COMMAND));
        }
        getLog().info("No certificate expires within " + threshold + " days");
    }
}
