package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;
import dev.hardway.model.ResolvedCluster;
import dev.hardway.pki.IssuedPki;
import dev.hardway.render.SyntaxCheck;
import dev.hardway.render.TemplateEngine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What every planner needs during one generation: the resolved cluster, its issued PKI (read only) and the
 * templates.
 * Rendering goes through here so that every rendered file is parsed back before anything is written.
 */
public record GenerationContext(ResolvedCluster cluster, IssuedPki pki, TemplateEngine templates) {

    /** The values every template may use: the cluster, its Kubernetes version and the node. */
    public Map<String, Object> model(String node) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("cluster", cluster.name());
        model.put("kubernetesVersion", cluster.kubernetesVersion().toString());
        model.put("kubernetesMinor", cluster.kubernetesVersion().minorLine());
        model.put("node", node);
        return model;
    }

    /** Renders {@code template} and checks the result parses as the target file's format. */
    public HostFile render(String template, Map<String, ?> model, String target, int mode, String... restarts) {
        String text = templates.render(template, model);
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SyntaxCheck.check(target, template, text, bytes);
        return new HostFile(target, bytes, mode, Set.of(restarts), HostFile.Kind.TEXT);
    }

    /** As {@link #render}, for a kubeconfig: it embeds a client key, so it is private. */
    public HostFile renderKubeconfig(String template, Map<String, ?> model, String target, String... restarts) {
        HostFile f = render(template, model, target, 0600, restarts);
        return new HostFile(f.path(), f.content(), 0600, f.restarts(), HostFile.Kind.KUBECONFIG);
    }
}
