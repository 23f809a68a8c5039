package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;
import dev.hardway.pki.IssuedCertificate;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Kubeconfigs that embed the CA and the client's certificate and key, so each is a single self-contained file. */
public final class Kubeconfigs {
    public static final String TEMPLATE = "kubeconfig/kubeconfig.ftl";

    private Kubeconfigs() {
    }

    /**
     * @param user   the user entry's name (the client certificate's CN says who it is to the API server)
     * @param server the API server URL this client talks to
     * @param target where the kubeconfig lands
     */
    public static HostFile kubeconfig(GenerationContext ctx, String node, String user, String server,
                                      IssuedCertificate client, String target, String... restarts) {
        return ctx.renderKubeconfig(TEMPLATE, model(ctx, ctx.model(node), user, server, client), target, restarts);
    }

    /** As {@link #kubeconfig}, for a client every node that has it shares (kube-proxy): rendered once per run. */
    public static HostFile sharedKubeconfig(GenerationContext ctx, String user, String server,
                                            IssuedCertificate client, String target, String... restarts) {
        return ctx.renderSharedKubeconfig(TEMPLATE, model(ctx, ctx.clusterModel(), user, server, client), target,
                restarts);
    }

    private static Map<String, Object> model(GenerationContext ctx, Map<String, Object> model, String user,
                                             String server, IssuedCertificate client) {
        model.put("user", user);
        model.put("server", server);
        model.put("context", user + "@" + ctx.cluster().name());
        model.put("caData", base64(ctx.pki().authority(ClusterCertificates.CA)
                .asIssued().certificatePem()));
        model.put("certificateData", base64(client.certificatePem()));
        model.put("keyData", base64(client.keyPem()));
        return model;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }
}
