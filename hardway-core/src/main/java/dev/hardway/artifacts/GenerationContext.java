package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.IssuedPki;
import dev.hardway.render.SyntaxCheck;
import dev.hardway.render.TemplateEngine;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What every planner needs during one generation: the resolved cluster, its issued PKI (read only) and the
 * templates.
 * Rendering goes through here so that every rendered file is parsed back before anything is written.
 *
 * <p>A file that does not depend on the node (containerd's config, the kubelet's configuration, kube-proxy's
 * kubeconfig...) is rendered and checked once per run for each distinct model, and every bundle holds the same
 * {@link HostFile}: on a thousand workers that is most of the rendering, and the checksums, packing and golden
 * snapshot that follow see one object where they would have compared a thousand copies.
 */
public final class GenerationContext {
    private final ResolvedCluster cluster;
    private final IssuedPki pki;
    private final TemplateEngine templates;
    /** Files the same on every node that has them, by what they are made of (see {@link #renderShared}). */
    private final Map<Object, HostFile> shared = new ConcurrentHashMap<>();

    public GenerationContext(ResolvedCluster cluster, IssuedPki pki, TemplateEngine templates) {
        this.cluster = cluster;
        this.pki = pki;
        this.templates = templates;
    }

    public ResolvedCluster cluster() {
        return cluster;
    }

    public IssuedPki pki() {
        return pki;
    }

    public TemplateEngine templates() {
        return templates;
    }

    /** The values every template may use: the cluster, its Kubernetes version and the node. */
    public Map<String, Object> model(String node) {
        Map<String, Object> model = clusterModel();
        model.put("node", node);
        return model;
    }

    /**
     * The values of a template whose file is the same on every node ({@link #renderShared}): those of
     * {@link #model} but the node's name, so that a template naming {@code node} fails to render instead of giving
     * every node the name of the first.
     */
    public Map<String, Object> clusterModel() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("cluster", cluster.name());
        model.put("kubernetesVersion", cluster.kubernetesVersion().toString());
        model.put("kubernetesMinor", cluster.kubernetesVersion().minorLine());
        return model;
    }

    /** Renders {@code template} and checks the result parses as the target file's format. */
    public HostFile render(String template, Map<String, ?> model, String target, int mode, String... restarts) {
        String text = templates.render(template, model);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // an override's unit is its author's systemd syntax; a built-in one holds only what hardway writes
        SyntaxCheck.check(target, template, templates.overrideOf(template), cluster.kubernetesVersion(), text);
        return new HostFile(target, bytes, mode, Set.of(restarts), HostFile.Kind.TEXT);
    }

    /** As {@link #render}, for a kubeconfig: it embeds a client key, so it is private. */
    public HostFile renderKubeconfig(String template, Map<String, ?> model, String target, String... restarts) {
        return asKubeconfig(render(template, model, target, 0600, restarts));
    }

    /**
     * As {@link #render}, for a file that does not depend on the node: the model comes from {@link #clusterModel},
     * and the file is rendered once per distinct model, every node given the same {@link HostFile}. Rendering
     * is a function of the template and the model, so an equal model gives the same bytes.
     */
    public HostFile renderShared(String template, Map<String, ?> model, String target, int mode, String... restarts) {
        return shared(new Rendering(template, frozen(model), target, mode, List.of(restarts), HostFile.Kind.TEXT),
                () -> render(template, model, target, mode, restarts));
    }

    /** As {@link #renderShared}, for a kubeconfig every node that has it receives alike (kube-proxy's). */
    public HostFile renderSharedKubeconfig(String template, Map<String, ?> model, String target, String... restarts) {
        return shared(new Rendering(template, frozen(model), target, 0600, List.of(restarts),
                HostFile.Kind.KUBECONFIG), () -> renderKubeconfig(template, model, target, restarts));
    }

    /** {@code file}, or the equal one a node received before: one object for what every node holds alike. */
    public HostFile shared(HostFile file) {
        return shared.computeIfAbsent(file, f -> file);
    }

    private HostFile shared(Rendering key, Supplier<HostFile> render) {
        return shared.computeIfAbsent(key, k -> render.get());
    }

    private static Map<String, ?> frozen(Map<String, ?> model) {
        if (model.containsKey("node")) {
            throw new IllegalArgumentException("a file shared by every node is rendered without the node's name");
        }
        return new HashMap<>(model);
    }

    private static HostFile asKubeconfig(HostFile f) {
        return new HostFile(f.path(), f.content(), 0600, f.restarts(), HostFile.Kind.KUBECONFIG);
    }

    /** What a shared file is made of: equal keys render equal bytes. */
    private record Rendering(String template, Map<String, ?> model, String target, int mode, List<String> restarts,
                             HostFile.Kind kind) {
    }
}
