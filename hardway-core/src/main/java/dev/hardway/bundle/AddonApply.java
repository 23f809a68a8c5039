package dev.hardway.bundle;

import java.util.List;

/**
 * How a node's install.sh applies the cluster add-ons: once the local API server answers, {@code kubectl apply}
 * of each manifest, which is idempotent, so every run may apply them again.
 *
 * @param kubectl         the kubectl binary on the host
 * @param kubeconfig      a kubeconfig allowed to create the add-ons, pointing at the local API server
 * @param manifests       target paths of the manifests, applied in this order
 * @param attempts        how often to ask the API server whether it is ready
 * @param intervalSeconds the pause between two attempts
 */
public record AddonApply(String kubectl, String kubeconfig, List<String> manifests, int attempts,
                         int intervalSeconds) {
    public AddonApply {
        manifests = List.copyOf(manifests);
        if (attempts < 1 || intervalSeconds < 1) {
            throw new IllegalArgumentException("the wait for the API server must be bounded and positive");
        }
    }
}
