package dev.hardway.model;

/**
 * What a run did to one persisted certificate or secret.
 *
 * @param id     the file stem, e.g. {@code kubelet-worker-0}
 * @param action what happened
 * @param reason why, for {@link Action#REISSUED}; empty otherwise
 */
public record PkiChange(String id, Action action, String reason) {

    /** The fate of one PKI entry in a run. */
    public enum Action {
        CREATED, REISSUED, REUSED
    }

    @Override
    public String toString() {
        return action.name().toLowerCase(java.util.Locale.ROOT) + " " + id + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
