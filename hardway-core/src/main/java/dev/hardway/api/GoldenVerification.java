package dev.hardway.api;

import dev.hardway.artifacts.ClusterCertificates;
import dev.hardway.model.GoldenComparison;
import dev.hardway.model.PkiChange;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of {@link Golden#verify}: how the committed snapshot differs from what would be generated now, and
 * what generating would do to the PKI (which the snapshot shows as changed certificate descriptions).
 *
 * @param comparison the file by file comparison
 * @param pkiChanges what generating now would do to each PKI entry; nothing of it was written
 * @param warnings   things to act on soon, such as a CA nearing expiry
 */
public record GoldenVerification(GoldenComparison comparison, List<PkiChange> pkiChanges, List<String> warnings) {

    public GoldenVerification {
        pkiChanges = List.copyOf(pkiChanges);
        warnings = List.copyOf(warnings);
    }

    /** Whether the committed snapshot is what hardway generates now. */
    public boolean matches() {
        return comparison.matches();
    }

    /** {@link #report(String)} with {@value GoldenComparison#REFRESH_COMMAND}. */
    public String report() {
        return report(GoldenComparison.REFRESH_COMMAND);
    }

    /** The comparison's report, with what generating would change in the PKI, ending with {@code refreshCommand}. */
    public String report(String refreshCommand) {
        List<String> notes = new ArrayList<>();
        List<PkiChange> changes = pkiChanges.stream().filter(c -> c.action() != PkiChange.Action.REUSED).toList();
        if (!comparison.matches() && !changes.isEmpty()) {
            notes.add("Generating would also change the PKI (certificates show in the snapshot as descriptions):");
            changes.forEach(c -> notes.add("  " + c));
        }
        if (!comparison.matches() && createsCa()) {
            notes.add("The PKI directory holds no CA, so every certificate above is one hardway would newly create: "
                    + "run the check where the cluster's PKI (pkiDirectory) is available.");
        }
        return comparison.report(refreshCommand, notes);
    }

    private boolean createsCa() {
        return pkiChanges.stream().anyMatch(c -> c.id().equals(ClusterCertificates.CA)
                && c.action() == PkiChange.Action.CREATED);
    }
}
