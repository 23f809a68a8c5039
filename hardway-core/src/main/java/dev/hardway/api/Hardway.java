package dev.hardway.api;

import dev.hardway.artifacts.ClusterCertificates;
import dev.hardway.artifacts.ClusterPlanner;
import dev.hardway.artifacts.GenerationContext;
import dev.hardway.artifacts.HostPaths;
import dev.hardway.artifacts.HostSettings;
import dev.hardway.artifacts.Kubeconfigs;
import dev.hardway.bundle.BundleArchive;
import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.InstallScript;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.bundle.OutputDirectory;
import dev.hardway.io.DirectoryLock;
import dev.hardway.io.FileTransaction;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecLoader;
import dev.hardway.model.SpecValidator;
import dev.hardway.pki.Fingerprints;
import dev.hardway.pki.IssuedPki;
import dev.hardway.pki.PkiDirectory;
import dev.hardway.pki.PkiIssuer;
import dev.hardway.pki.PkiPlan;
import dev.hardway.pki.PkiPolicy;
import dev.hardway.pki.PkiState;
import dev.hardway.render.TemplateEngine;
import dev.hardway.state.ClusterState;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * hardway's entry point: a cluster spec in, per-node install bundles and {@code admin.kubeconfig} out.
 *
 * <pre>{@code
 * GenerationResult result = Hardway.generate(GenerationRequest.builder()
 *         .specFile(Path.of("cluster.yaml"))
 *         .pkiDirectory(Path.of("pki"))
 *         .outputDirectory(Path.of("target/hardway"))
 *         .build());
 * }</pre>
 *
 * <p>Data flows one way: the resolved spec, the PKI plan it implies, the PKI issued from the directory's state,
 * every node's bundle, the packed archives; then one commit writes the new PKI files and the outputs. Nothing is
 * written before that commit, and the PKI directory moves to its new state whole or not at all. Invalid input
 * throws {@link dev.hardway.model.InvalidSpecException} listing every problem, an unusable PKI
 * {@link dev.hardway.model.PkiStateException}, a broken template {@link dev.hardway.model.TemplateException}; in each
 * case nothing was written.
 */
public final class Hardway {
    private Hardway() {
    }

    /** Renders the cluster in memory and writes nothing, not even new PKI files. */
    public static RenderedCluster render(GenerationRequest request) {
        Phases phases = new Phases(request.listener());
        PkiState state = new PkiDirectory(request.pkiDirectory()).read();
        ResolvedCluster cluster = phases.run("read spec", 1, () -> resolve(request, state));
        return render(request, cluster, state, phases).rendered();
    }

    /**
     * The request's spec resolved as generating it would: every default applied and every pod subnet allocated,
     * a node keeping the subnet the PKI directory's cluster state records for it. Writes nothing.
     */
    public static ResolvedCluster resolve(GenerationRequest request) {
        return resolve(request, new PkiDirectory(request.pkiDirectory()).read());
    }

    /**
     * What a {@code kubernetesVersion} change in the request's spec asks of the operator, compared with the release
     * the PKI directory's cluster state records; empty when the version is unchanged or nothing was generated yet.
     * Reads the spec and the PKI directory, writes nothing.
     */
    public static Optional<UpgradePlan> upgradePlan(GenerationRequest request) {
        PkiState state = new PkiDirectory(request.pkiDirectory()).read();
        return UpgradePlan.of(ClusterState.of(state).lastVersion(), resolve(request, state));
    }

    /**
     * Renders the cluster, then commits the new PKI files and the outputs that changed into the request's output
     * directory. Both directories are locked for the whole run: a second run waits for this one, then sees its
     * PKI.
     */
    public static GenerationResult generate(GenerationRequest request) {
        return generate(request, Alongside.NOTHING);
    }

    /**
     * What a caller writes along with a run's outputs (report.json, the golden snapshot): described and staged
     * while the outputs and the PKI are, ready or failed before either commits, and put in place after both.
     */
    interface Alongside {
        Alongside NOTHING = new Alongside() {
        };

        /** The names of the files {@link #describe} writes into the output directory. */
        default java.util.Set<String> describes() {
            return java.util.Set.of();
        }

        /**
         * Files describing the run, committed in the output transaction under the same lock, so a report never
         * describes a run other than the one whose outputs are there. It may start staging what {@link #commit}
         * puts in place.
         */
        default SortedMap<String, byte[]> describe(GenerationResult result) {
            return new TreeMap<>();
        }

        /** Waits until what was staged can be put in place; a failure here fails the run before anything commits. */
        default void ready() {
        }

        /**
         * Puts what was staged in place once the PKI and the outputs committed, still under their locks: it is
         * never interleaved with another run's.
         */
        default void commit(GenerationResult result) {
        }

        /**
         * Throws away what was staged after {@code cause} failed the run, still under its locks: the next run,
         * waiting for them, stages in the same places.
         */
        default void abort(RuntimeException cause) {
        }
    }

    /** {@link #generate(GenerationRequest)}, with {@code alongside} written in step with the outputs. */
    static GenerationResult generate(GenerationRequest request, Alongside alongside) {
        request.requireOutputDirectory("Hardway.generate");
        if (request.certificatesOnly()) {
            throw new IllegalArgumentException("a certificates-only request renders placeholder keys; it can be "
                    + "compared (Golden.verify) but never generated");
        }
        Phases phases = new Phases(request.listener());
        PkiDirectory pkiDirectory = new PkiDirectory(request.pkiDirectory());
        OutputDirectory outputDirectory = new OutputDirectory(request.outputDirectory());
        outputDirectory.checkUsable();
        // the spec is checked (against the cluster state the PKI directory records) before any directory is
        // written: a bad spec writes nothing, not even a lock file
        PkiState before = pkiDirectory.read();
        ResolvedCluster cluster = phases.run("read spec", 1, () -> resolve(request, before));
        // Rendered first from the directory as it is, without the lock: a bad template or an unusable PKI fails
        // here and leaves nothing behind, not even a directory. Under the lock the state is read again; only when
        // another run changed it meanwhile (a first run racing another) is the cluster rendered again from it.
        Rendering unlocked = render(request, cluster, before, phases);
        try (DirectoryLock pkiLock = pkiDirectory.lock(request.listener()::notice);
             DirectoryLock outputLock = outputDirectory.lock(request.listener()::notice)) {
            try {
                PkiState locked = pkiDirectory.read();
                Rendering rendering = locked.sameFiles(before) ? unlocked
                        : render(request, resolve(request, locked), locked, phases);
                RenderedCluster rendered = rendering.rendered();
                ClusterState recorded = ClusterState.of(locked);
                ClusterState next = recorded.after(rendered.cluster());
                Optional<UpgradePlan> upgrade = UpgradePlan.of(recorded.lastVersion(), rendered.cluster());
                return phases.run("write", rendered.secretOutputs().size(), () -> {
                    // the outputs staged first, so that what describes them (report.json, and the golden snapshot a
                    // caller may stage meanwhile) overlaps the PKI's synced writes
                    OutputDirectory.Change outputChange = outputDirectory.prepare(rendered.outputsForWriting(),
                            alongside.describes(), outcome -> alongside.describe(result(rendered, outcome, upgrade)));
                    // the cluster state moves with the PKI, in one transaction: a failed run changes neither
                    FileTransaction.Prepared pkiChange = null;
                    try {
                        pkiChange = pkiDirectory.prepare(rendering.pki(), next.equals(recorded)
                                && locked.clusterState().isPresent() ? null : next.bytes());
                        alongside.ready();
                    } catch (RuntimeException e) {
                        abort(e, outputChange.transaction(), pkiChange);
                        throw e;
                    }
                    // the PKI first: outputs that reached disk always carry certificates the PKI holds
                    pkiChange.commit();
                    outputChange.transaction().commit();
                    GenerationResult result = result(rendered, outputChange.outcome(), upgrade);
                    alongside.commit(result);
                    return result;
                });
            } catch (RuntimeException e) {
                alongside.abort(e);
                throw e;
            }
        }
    }

    /** Throws away prepared journals; a failure to do so joins {@code cause}, the failure that asked for it. */
    private static void abort(RuntimeException cause, FileTransaction.Prepared... prepared) {
        for (FileTransaction.Prepared p : prepared) {
            if (p == null) {
                continue;
            }
            try {
                p.abort();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private static GenerationResult result(RenderedCluster rendered, OutputDirectory.Outcome outcome,
                                           Optional<UpgradePlan> upgrade) {
        return new GenerationResult(rendered, outcome.written(), outcome.unchanged(), outcome.removed(),
                rendered.pkiChanges(), rendered.warnings(), upgrade);
    }

    private record Rendering(RenderedCluster rendered, IssuedPki pki) {
    }

    /** The spec, keeping what the cluster state in {@code pki} records (pod subnets, the release upgraded from). */
    private static ResolvedCluster resolve(GenerationRequest request, PkiState pki) {
        var history = ClusterState.historyOf(pki);
        return request.specFile() != null ? new SpecLoader(history).load(request.specFile())
                : new SpecValidator(history).resolve(request.spec(), null);
    }

    private static Rendering render(GenerationRequest request, ResolvedCluster cluster, PkiState state,
                                    Phases phases) {
        PkiPlan plan = ClusterCertificates.plan(cluster);
        PkiPolicy policy = new PkiPolicy(cluster.keyAlgorithm(), Duration.ofDays(cluster.caValidityDays()),
                Duration.ofDays(cluster.validityDays()), Duration.ofDays(cluster.renewBeforeDays()), request.clock(),
                request.random(), request.certificatesOnly() ? PkiPolicy.KeyAccess.CERTIFICATES_ONLY
                : PkiPolicy.KeyAccess.FULL);
        IssuedPki pki = phases.run("issue certificates", plan.ids().size(),
                () -> PkiIssuer.issue(plan, state, policy));

        TemplateEngine templates = new TemplateEngine(request.templateDirectory());
        GenerationContext ctx = new GenerationContext(cluster, pki, templates);
        int nodes = cluster.controllers().size() + cluster.workers().size();
        List<NodeBundle> bundles = phases.run("render", nodes, () -> ClusterPlanner.plan(ctx));

        InstallScript installer = new InstallScript(templates);
        record Packed(String node, String manifest, String archive, byte[] bytes) {
        }
        String script = installer.script();
        BundleArchive.Packer packer = new BundleArchive.Packer(script);
        List<Packed> packed = phases.run("pack", nodes, () -> bundles.parallelStream().map(bundle -> {
            String manifest = installer.manifest(bundle, cluster, HostSettings.MODULES, HostPaths.SYSCTL_FILE);
            return new Packed(bundle.node(), manifest, BundleArchive.fileName(bundle), packer.pack(bundle, manifest));
        }).toList());
        Map<String, String> scripts = packed.stream().collect(Collectors.toMap(Packed::node, p -> script));
        Map<String, String> manifests = packed.stream().collect(Collectors.toMap(Packed::node, Packed::manifest));
        SortedMap<String, byte[]> outputs = new RenderedCluster.HandedOver();
        packed.forEach(p -> outputs.put(p.archive(), p.bytes()));
        HostFile admin = Kubeconfigs.kubeconfig(ctx, "operator", "admin", cluster.apiEndpoint(),
                pki.certificate(ClusterCertificates.admin()), "/" + RenderedCluster.ADMIN_KUBECONFIG);
        outputs.put(RenderedCluster.ADMIN_KUBECONFIG, admin.content());

        SortedMap<String, String> fingerprints = new TreeMap<>();
        fingerprints.put(ClusterCertificates.ENCRYPTION_KEY, pki.secret(ClusterCertificates.ENCRYPTION_KEY).sha256());
        fingerprints.put(ClusterCertificates.SERVICE_ACCOUNT_KEY_PAIR + ".pub", Fingerprints.sha256Hex(
                pki.keyPair(ClusterCertificates.SERVICE_ACCOUNT_KEY_PAIR).getPublic().getEncoded()));
        RenderedCluster rendered = new RenderedCluster(cluster, bundles.stream().map(RenderedBundle::new).toList(),
                scripts, manifests, outputs, outputs.keySet(), pki.changes(),
                Stream.concat(cluster.warnings().stream(), pki.warnings().stream()).toList(), fingerprints,
                PkiIssuer.renewalDue(pki, policy));
        return new Rendering(rendered, pki);
    }
}
