package dev.hardway.api;

import dev.hardway.artifacts.ClusterCertificates;
import dev.hardway.artifacts.ControllerPlanner;
import dev.hardway.artifacts.GenerationContext;
import dev.hardway.artifacts.HostPaths;
import dev.hardway.artifacts.HostSettings;
import dev.hardway.artifacts.Kubeconfigs;
import dev.hardway.artifacts.WorkerPlanner;
import dev.hardway.bundle.BundleArchive;
import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.InstallScript;
import dev.hardway.bundle.NodeBundle;
import dev.hardway.bundle.OutputWriter;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.model.SpecLoader;
import dev.hardway.model.SpecValidator;
import dev.hardway.pki.Pki;
import dev.hardway.pki.PkiDirectory;
import dev.hardway.render.TemplateEngine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * <p>Everything is computed in memory first; only when all of it succeeded are the new PKI files and the outputs
 * written. Invalid input throws {@link dev.hardway.model.InvalidSpecException} listing every problem, an unusable
 * PKI {@link dev.hardway.pki.PkiException}, a broken template {@link dev.hardway.render.TemplateException}; in
 * each case nothing was written.
 */
public final class Hardway {
    private Hardway() {
    }

    /** Renders the cluster in memory and writes nothing, not even new PKI files. */
    public static RenderedCluster render(GenerationRequest request) {
        GenerationListener listener = request.listener();
        long start = System.nanoTime();
        listener.phaseStarted("load", 1);
        ResolvedCluster cluster = request.specFile() != null
                ? new SpecLoader().load(request.specFile())
                : new SpecValidator().resolve(request.spec(), null);
        start = finished(listener, "load", 1, start);
        TemplateEngine templates = new TemplateEngine(request.templateDirectory());
        Pki pki = new Pki(new PkiDirectory(request.pkiDirectory()), cluster.keyAlgorithm(),
                Duration.ofDays(cluster.caValidityDays()), Duration.ofDays(cluster.validityDays()),
                Duration.ofDays(cluster.renewBeforeDays()), request.clock(), request.random(),
                request.certificatesOnly() ? Pki.KeyAccess.CERTIFICATES_ONLY : Pki.KeyAccess.FULL);
        GenerationContext ctx = new GenerationContext(cluster, pki, templates);
        pki.authority(ClusterCertificates.CA, ClusterCertificates.CA_COMMON_NAME);

        int nodes = cluster.controllers().size() + cluster.workers().size();
        listener.phaseStarted("render", nodes);
        List<NodeBundle> bundles = new ArrayList<>();
        ControllerPlanner controllers = new ControllerPlanner(ctx);
        cluster.controllers().forEach(c -> bundles.add(controllers.plan(c)));
        WorkerPlanner workers = new WorkerPlanner(ctx);
        cluster.workers().forEach(w -> bundles.add(workers.plan(w)));
        start = finished(listener, "render", nodes, start);

        InstallScript installer = new InstallScript(templates);
        Map<String, String> scripts = new LinkedHashMap<>();
        Map<String, byte[]> outputs = new LinkedHashMap<>();
        listener.phaseStarted("pack", bundles.size());
        for (NodeBundle bundle : bundles) {
            String script = installer.render(bundle, cluster.name(), cluster.kubernetesVersion().toString(),
                    HostSettings.MODULES, HostPaths.SYSCTL_FILE);
            scripts.put(bundle.node(), script);
            outputs.put(BundleArchive.fileName(bundle), BundleArchive.pack(bundle, script));
        }
        HostFile admin = Kubeconfigs.kubeconfig(ctx, "operator", "admin", cluster.apiEndpoint(),
                pki.certificate(ClusterCertificates.admin()), "/" + RenderedCluster.ADMIN_KUBECONFIG);
        outputs.put(RenderedCluster.ADMIN_KUBECONFIG, admin.content());
        finished(listener, "pack", bundles.size(), start);
        return new RenderedCluster(cluster, bundles, scripts, outputs, Set.of(RenderedCluster.ADMIN_KUBECONFIG), pki);
    }

    /**
     * Renders the cluster, then persists new PKI files and writes the outputs that changed into the request's
     * output directory.
     */
    public static GenerationResult generate(GenerationRequest request) {
        Objects.requireNonNull(request.outputDirectory(), "outputDirectory");
        if (request.certificatesOnly()) {
            throw new IllegalArgumentException("a certificates-only request renders placeholder keys; it can be "
                    + "compared (Golden.verify) but never generated");
        }
        RenderedCluster rendered = render(request);
        long start = System.nanoTime();
        request.listener().phaseStarted("write", rendered.outputs().size());
        rendered.pki().commit();
        OutputWriter.Outcome outcome = new OutputWriter().write(request.outputDirectory(), rendered.outputs(),
                rendered.secretOutputs(), ".tar.gz");
        finished(request.listener(), "write", rendered.outputs().size(), start);
        return new GenerationResult(rendered, outcome.written(), outcome.unchanged(), outcome.removed(),
                rendered.pkiChanges(), rendered.warnings());
    }

    /** Tells the listener that {@code phase} finished; returns "now", the next phase's start. */
    private static long finished(GenerationListener listener, String phase, int items, long start) {
        long now = System.nanoTime();
        listener.phaseFinished(phase, items, Duration.ofNanos(now - start));
        return now;
    }
}
