package dev.hardway.api;

import dev.hardway.model.PkiChange;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Hardway#generate} did.
 *
 * @param rendered   everything that was generated
 * @param written    output files whose content changed
 * @param unchanged  output files left as they were
 * @param removed    bundles of nodes no longer in the spec
 * @param pkiChanges what happened to each certificate and key
 * @param warnings   things to act on soon, such as a CA nearing expiry
 * @param upgrade    when {@code kubernetesVersion} changed since the last generation: the order to install the
 *                   bundles in
 */
public record GenerationResult(RenderedCluster rendered, List<Path> written, List<Path> unchanged,
                               List<Path> removed, List<PkiChange> pkiChanges, List<String> warnings,
                               Optional<UpgradePlan> upgrade) {

    public GenerationResult {
        written = List.copyOf(written);
        unchanged = List.copyOf(unchanged);
        removed = List.copyOf(removed);
        pkiChanges = List.copyOf(pkiChanges);
        warnings = List.copyOf(warnings);
        upgrade = java.util.Objects.requireNonNull(upgrade, "upgrade");
    }
}
