package dev.hardway.maven;

import dev.hardway.api.GenerationResult;
import dev.hardway.api.GoldenUpdate;
import dev.hardway.api.UpToDate;
import dev.hardway.api.NaturalOrder;
import dev.hardway.model.GoldenFiles;
import dev.hardway.model.PkiChange;
import dev.hardway.model.ResolvedCluster;
import org.apache.maven.plugin.logging.Log;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What {@code generate} tells the user, in a few lines whatever the cluster's size: the cluster, the PKI (each
 * certificate issued or re-issued with its reason while there are few, counts always), warnings, the outputs and
 * the golden snapshot as counts. Every name is in the debug log ({@code -X}) and in {@code report.json}; key
 * material never is.
 */
final class GenerationLog {
    /** Up to this many issued or re-issued certificates are named at info level, each with its reason. */
    static final int LISTED_PKI_CHANGES = 10;

    private final Log log;
    private final Function<Path, String> shown;

    GenerationLog(Log log, Function<Path, String> shown) {
        this.log = log;
        this.shown = shown;
    }

    void log(GoldenUpdate update, Path spec, Path pki, Path output, Path golden, Path report) {
        GenerationResult result = update.generation();
        ResolvedCluster cluster = result.rendered().cluster();
        log.info("Cluster " + cluster.name() + " (Kubernetes " + cluster.kubernetesVersion() + "): "
                + count(cluster.controllers().size(), "controller") + ", " + count(cluster.workers().size(), "worker")
                + ", from " + shown.apply(spec));
        result.upgrade().ifPresent(upgrade -> upgrade.lines().forEach(log::info));

        String pkiDir = shown.apply(pki);
        List<PkiChange> changes = sorted(result.pkiChanges());
        List<PkiChange> acted = changes.stream().filter(c -> c.action() != PkiChange.Action.REUSED).toList();
        List<PkiChange> reused = changes.stream().filter(c -> c.action() == PkiChange.Action.REUSED).toList();
        for (PkiChange c : acted) {
            if (acted.size() <= LISTED_PKI_CHANGES) {
                log.info("PKI " + pkiDir + ": " + c);
            } else {
                log.debug("PKI " + pkiDir + ": " + c);
            }
        }
        reused.forEach(c -> log.debug("PKI " + pkiDir + ": " + c));
        log.info("PKI " + pkiDir + ": " + count(result.pkiChanges(), PkiChange.Action.CREATED) + " created, "
                + count(result.pkiChanges(), PkiChange.Action.REISSUED) + " reissued, "
                + count(result.pkiChanges(), PkiChange.Action.REUSED) + " reused, "
                + count(result.pkiChanges(), PkiChange.Action.REMOVED) + " removed");
        result.warnings().forEach(log::warn);

        String out = shown.apply(output);
        names(result.written()).forEach(n -> log.debug("Wrote " + out + "/" + n));
        names(result.unchanged()).forEach(n -> log.debug("Unchanged " + out + "/" + n));
        names(result.removed()).forEach(n -> log.debug("Removed " + out + "/" + n
                + " (its node is no longer in the spec)"));
        log.info("Outputs " + out + ": " + result.written().size() + " written, " + result.unchanged().size()
                + " unchanged, " + result.removed().size() + " removed; report in " + shown.apply(report));

        GoldenFiles g = update.golden();
        String dir = shown.apply(golden);
        g.written().stream().sorted(NaturalOrder.INSTANCE).forEach(f -> log.debug("Golden: wrote " + dir + "/" + f));
        g.removed().stream().sorted(NaturalOrder.INSTANCE).forEach(f -> log.debug("Golden: removed " + dir + "/" + f));
        if (g.upToDate()) {
            log.info("Golden snapshot " + dir + " is up to date (" + count(g.unchanged().size(), "file") + ")");
            return;
        }
        log.info("Golden snapshot " + dir + ": " + g.written().size() + " written, " + g.unchanged().size()
                + " unchanged, " + g.removed().size() + " removed; review with git diff and commit it");
    }

    /** The run that found nothing to do: the same summary, from what the last run recorded. */
    void log(UpToDate run, Path spec, Path output, Path golden) {
        log.info("Cluster " + run.cluster() + " (Kubernetes " + run.kubernetesVersion() + "): "
                + count(run.controllers(), "controller") + ", " + count(run.workers(), "worker") + ", from "
                + shown.apply(spec));
        run.warnings().forEach(log::warn);
        log.info("Up to date: spec, templates, hardway, PKI (" + count(run.pkiEntries(), "item") + "), "
                + shown.apply(output) + " (" + count(run.outputs(), "file") + ") and " + shown.apply(golden) + " ("
                + count(run.goldenFiles(), "file") + ") are as the run of " + run.generatedAt()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " left them; nothing written");
        log.info("The next renewal is due " + run.renewalDue() + "; -Dhardway.force=true generates anyway");
    }

    /** File names in natural order: {@code worker-2.tar.gz} before {@code worker-19.tar.gz}. */
    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).sorted(NaturalOrder.INSTANCE).toList();
    }

    private static List<PkiChange> sorted(List<PkiChange> changes) {
        return changes.stream().sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.id(), b.id())).toList();
    }

    private static long count(List<PkiChange> changes, PkiChange.Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
