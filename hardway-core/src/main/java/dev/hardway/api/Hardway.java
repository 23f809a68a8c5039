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
        ResolvedCluster cluster = request.specFile() != null
                ? new SpecLoader().load(request.specFile())
                : new SpecValidator().resolve(request.spec(), null);
        TemplateEngine templates = new TemplateEngine(request.templateDirectory());
        Pki pki = new Pki(new PkiDirectory(request.pkiDirectory()), cluster.keyAlgorithm(),
                Duration.ofDays(cluster.caValidityDays()), Duration.ofDays(cluster.validityDays()),
                Duration.ofDays(cluster.renewBeforeDays()), request.clock(), request.random(),
                request.certificatesOnly() ? Pki.KeyAccess.CERTIFICATES_ONLY : Pki.KeyAccess.FULL);
        GenerationContext ctx = new GenerationContext(cluster, pki, templates);
        pki.authority(ClusterCertificates.CA, ClusterCertificates.CA_COMMON_NAME);

        List<NodeBundle> bundles = new ArrayList<>();
        ControllerPlanner controllers = new ControllerPlanner(ctx);
        cluster.controllers().forEach(c -> bundles.add(controllers.plan(c)));
        WorkerPlanner workers = new WorkerPlanner(ctx);
        cluster.workers().forEach(w -> bundles.add(workers.plan(w)));

        InstallScript installer = new InstallScript(templates);
        Map<String, String> scripts = new LinkedHashMap<>();
        Map<String, byte[]> outputs = new LinkedHashMap<>();
        for (NodeBundle bundle : bundles) {
            String script = installer.render(bundle, cluster, HostSettings.MODULES, HostPaths.SYSCTL_FILE);
            scripts.put(bundle.node(), script);
            outputs.put(BundleArchive.fileName(bundle), BundleArchive.pack(bundle, script));
        }
        HostFile admin = Kubeconfigs.kubeconfig(ctx, "operator", "admin", cluster.apiEndpoint(),
                pki.certificate(ClusterCertificates.admin()), "/" + RenderedCluster.ADMIN_KUBECONFIG);
        outputs.put(RenderedCluster.ADMIN_KUBECONFIG, admin.content());
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
        rendered.pki().commit();
        OutputWriter.Outcome outcome = new OutputWriter().write(request.outputDirectory(), rendered.outputs(),
                rendered.secretOutputs(), ".tar.gz");
        return new GenerationResult(rendered, outcome.written(), outcome.unchanged(), outcome.removed(),
                rendered.pkiChanges(), rendered.warnings());
    }
}
