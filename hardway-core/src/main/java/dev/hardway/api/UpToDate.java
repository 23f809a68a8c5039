package dev.hardway.api;

import java.time.Instant;
import java.util.List;

/**
 * A {@link Golden#generateIfChanged} that had nothing to do: the spec, the templates, hardway itself and the PKI,
 * output and golden directories are exactly as the run at {@code generatedAt} left them, and no certificate is
 * due for renewal yet. Nothing was read beyond file metadata and the spec's bytes; nothing was written.
 *
 * @param generatedAt       when the run that left everything as it is happened
 * @param cluster           the cluster's name
 * @param kubernetesVersion its release
 * @param controllers       how many controllers it has
 * @param workers           how many workers
 * @param pkiEntries        CAs, certificates, key pairs and secrets in its PKI, all reused
 * @param outputs           files in the output directory, all unchanged
 * @param goldenFiles       files in the golden snapshot, all unchanged
 * @param warnings          the spec's own warnings, as that run gave them (a PKI warning always makes a run
 *                          generate, so none is here)
 * @param renewalDue        from this instant on, generating again renews or warns: the next run generates
 */
public record UpToDate(Instant generatedAt, String cluster, String kubernetesVersion, int controllers, int workers,
                       int pkiEntries, int outputs, int goldenFiles, List<String> warnings, Instant renewalDue)
        implements GoldenRun {
    public UpToDate {
        warnings = List.copyOf(warnings);
    }
}
