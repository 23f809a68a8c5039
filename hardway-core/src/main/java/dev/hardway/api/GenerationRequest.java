package dev.hardway.api;

import dev.hardway.model.ClusterSpec;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * What to generate and where. Built with {@link #builder()}; either a spec file or a {@link ClusterSpec} built in
 * Java is required, and so is a PKI directory.
 *
 * @param specFile          {@code cluster.yaml}; {@code null} when {@code spec} is given
 * @param spec              a spec built in Java; {@code null} when {@code specFile} is given
 * @param outputDirectory   where bundles and {@code admin.kubeconfig} go (ignored by {@link Hardway#render})
 * @param pkiDirectory      where the CA, keys and certificates persist between runs
 * @param templateDirectory templates here override the built-in ones file by file; may be {@code null}
 * @param clock             "now" for certificate validity
 * @param random            a fixed source makes new keys and serials repeatable (tests, fixtures); {@code null}
 *                          means the platform's strong source
 * @param certificatesOnly  render from the PKI's certificates alone, private keys optional: for comparisons
 *                          such as {@link Golden#verify}, never for bundles that reach a host
 * @param listener          told about each phase while the run works
 */
public record GenerationRequest(Path specFile, ClusterSpec spec, Path outputDirectory, Path pkiDirectory,
                                Path templateDirectory, Clock clock, SecureRandom random, boolean certificatesOnly,
                                GenerationListener listener) {

    public GenerationRequest {
        if ((specFile == null) == (spec == null)) {
            throw new IllegalArgumentException("give either a spec file or a ClusterSpec");
        }
        if (pkiDirectory == null) {
            throw new IllegalArgumentException("a GenerationRequest needs a pkiDirectory, where the CA and keys "
                    + "persist between runs: GenerationRequest.builder().pkiDirectory(path)");
        }
        clock = clock == null ? Clock.systemUTC() : clock;
        listener = listener == null ? GenerationListener.NONE : listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This request, rendering from certificates alone (see {@code certificatesOnly}). */
    public GenerationRequest withCertificatesOnly() {
        return new GenerationRequest(specFile, spec, outputDirectory, pkiDirectory, templateDirectory, clock, random,
                true, listener);
    }

    /**
     * The output directory, for {@code operation}, which writes there: a request built without one fails here with
     * what to give, not in the middle of a run.
     */
    Path requireOutputDirectory(String operation) {
        if (outputDirectory == null) {
            throw new IllegalArgumentException(operation + " writes bundles, so its GenerationRequest needs an "
                    + "outputDirectory: GenerationRequest.builder().outputDirectory(path)");
        }
        return outputDirectory;
    }

    public Optional<Path> templates() {
        return Optional.ofNullable(templateDirectory);
    }

    /** The name problems are reported against: the spec file, or {@code null} for a spec built in Java. */
    public String sourceName() {
        return specFile == null ? null : specFile.toString();
    }

    /** Builds a {@link GenerationRequest}. */
    public static final class Builder {
        private Path specFile;
        private ClusterSpec spec;
        private Path outputDirectory;
        private Path pkiDirectory;
        private Path templateDirectory;
        private Clock clock;
        private SecureRandom random;
        private GenerationListener listener;

        private Builder() {
        }

        public Builder specFile(Path specFile) {
            this.specFile = specFile;
            return this;
        }

        public Builder spec(ClusterSpec spec) {
            this.spec = spec;
            return this;
        }

        public Builder outputDirectory(Path outputDirectory) {
            this.outputDirectory = outputDirectory;
            return this;
        }

        public Builder pkiDirectory(Path pkiDirectory) {
            this.pkiDirectory = pkiDirectory;
            return this;
        }

        public Builder templateDirectory(Path templateDirectory) {
            this.templateDirectory = templateDirectory;
            return this;
        }

        /** For tests and fixtures: a fixed "now". The default is the system clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** For tests and fixtures: a seeded source makes new keys repeatable. The default is a strong random. */
        public Builder random(SecureRandom random) {
            this.random = random;
            return this;
        }

        /** Told about each phase while the run works, e.g. to show progress. */
        public Builder listener(GenerationListener listener) {
            this.listener = listener;
            return this;
        }

        public GenerationRequest build() {
            return new GenerationRequest(specFile, spec, outputDirectory, pkiDirectory, templateDirectory, clock,
                    random, false, listener);
        }
    }
}
