package dev.hardway.model;

/**
 * What a run did to one persisted certificate or secret.
 *
 * @param id     the file stem, e.g. {@code kubelet-worker-0}
 * @param action what happened
 * @param reason why, for {@link Action#REISSUED} and {@link Action#REMOVED}; empty otherwise
 */
public record PkiChange(String id, Action action, String reason) {

    /**
     * The fate of one PKI entry in a run. {@code REMOVED}: a leaf an earlier run issued for a node the spec no
     * longer has; its certificate and key leave the PKI directory with the manifest that forgets it.
     */
    public enum Action {
        CREATED, REISSUED, REUSED, REMOVED
    }

    @Override
    public String toString() {
        return action.name().toLowerCase(java.util.Locale.ROOT) + " " + id + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
