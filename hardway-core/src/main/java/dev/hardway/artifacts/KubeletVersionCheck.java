package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;

import java.util.Map;

/**
 * The program the kubelet unit runs before the kubelet (ExecStartPre): it compares the kubelet's version with the
 * API server's {@code /version}, asked with the kubelet's own kubeconfig credentials, and refuses a kubelet newer
 * than the API server, or more than three minors older, as the version skew policy requires. It is read at every
 * start, so changing it restarts nothing.
 */
public final class KubeletVersionCheck {
    public static final String PATH = "/usr/local/lib/hardway/kubelet-version-check.sh";
    /** What it asks the API server with; install.sh's preflight requires it on the host. */
    public static final String TOOL = "curl";
    /** The API server has this long to answer; a kubelet start waits at most this (and the kubelet's --version). */
    static final int TIMEOUT_SECONDS = 5;

    private KubeletVersionCheck() {
    }

    /** The program, for a kubelet at {@code kubelet} with its kubeconfig at {@code kubeconfig}. */
    static HostFile render(GenerationContext ctx, String kubelet, String kubeconfig) {
        Map<String, Object> model = ctx.clusterModel();
        model.put("kubelet", kubelet);
        model.put("kubeconfig", kubeconfig);
        model.put("timeoutSeconds", TIMEOUT_SECONDS);
        return ctx.renderShared("kubelet/kubelet-version-check.sh.ftl", model, PATH, 0755);
    }
}
