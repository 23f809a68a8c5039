package dev.hardway.maven;

import dev.hardway.api.GenerationResult;
import dev.hardway.api.GoldenUpdate;
import dev.hardway.golden.GoldenDirectory;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.PkiChange;
import org.apache.maven.plugin.logging.Log;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What {@code generate} tells the user: the cluster, what happened to each certificate (by name and reason, never
 * key material), warnings, and which outputs and golden files were written, left unchanged or removed.
 */
final class GenerationLog {
    /** Longer lists of golden files are summarised; {@code git status} shows them. */
    static final int LISTED_GOLDEN_FILES = 25;

    private final Log log;
    private final Function<Path, String> shown;

    GenerationLog(Log log, Function<Path, String> shown) {
        this.log = log;
        this.shown = shown;
    }

    void log(GoldenUpdate update, Path spec, Path pki, Path output, Path golden) {
        GenerationResult result = update.generation();
        ResolvedCluster cluster = result.rendered().cluster();
        log.info("Cluster " + cluster.name() + " (Kubernetes " + cluster.kubernetesVersion() + "): "
                + count(cluster.controllers().size(), "controller") + ", " + count(cluster.workers().size(), "worker")
                + ", from " + shown.apply(spec));

        List<PkiChange> reused = result.pkiChanges().stream()
                .filter(c -> c.action() == PkiChange.Action.REUSED).toList();
        result.pkiChanges().stream().filter(c -> c.action() != PkiChange.Action.REUSED)
                .forEach(c -> log.info("PKI " + shown.apply(pki) + ": " + c));
        if (!reused.isEmpty()) {
            log.info("PKI " + shown.apply(pki) + ": reused " + String.join(", ",
                    reused.stream().map(PkiChange::id).toList()));
        }
        result.warnings().forEach(log::warn);

        String out = shown.apply(output);
        result.written().forEach(p -> log.info("Wrote " + out + "/" + p.getFileName()));
        if (!result.unchanged().isEmpty()) {
            log.info("Unchanged in " + out + ": " + String.join(", ",
                    result.unchanged().stream().map(p -> p.getFileName().toString()).toList()));
        }
        result.removed().forEach(p -> log.info("Removed " + out + "/" + p.getFileName()
                + " (its node is no longer in the spec)"));

        GoldenDirectory.Outcome g = update.golden();
        String dir = shown.apply(golden);
        if (g.upToDate()) {
            log.info("Golden snapshot " + dir + " is up to date (" + count(g.unchanged().size(), "file") + ")");
            return;
        }
        log.info("Golden snapshot " + dir + ": " + g.written().size() + " written, " + g.unchanged().size()
                + " unchanged, " + g.removed().size() + " removed; review with git diff and commit it");
        if (g.written().size() + g.removed().size() <= LISTED_GOLDEN_FILES) {
            g.written().forEach(f -> log.info("  wrote " + dir + "/" + f));
            g.removed().forEach(f -> log.info("  removed " + dir + "/" + f));
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
