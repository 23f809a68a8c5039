package dev.hardway.model;

/**
 * A taint a node registers with (the kubelet's {@code registerWithTaints}), in the shape of the Kubernetes Taint.
 *
 * @param key    a label-style key, e.g. {@code dedicated} or {@code example.com/gpu}
 * @param value  optional value
 * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}
 */
public record TaintSpec(
        @SpecField(description = "The taint's key: a qualified name such as dedicated or example.com/gpu.",
                example = "dedicated", required = true, format = ValueFormat.LABEL_KEY)
        String key,
        @SpecField(description = "The taint's value; a label value (at most 63 characters).", example = "gpu",
                defaultValue = "''", format = ValueFormat.LABEL_VALUE)
        String value,
        @SpecField(description = "What the taint does to pods that do not tolerate it.", example = "NoSchedule",
                required = true, format = ValueFormat.TAINT_EFFECT)
        String effect) {

    /** kubeadm's control-plane taint: ordinary pods stay off the controllers. */
    public static final TaintSpec CONTROL_PLANE = new TaintSpec(NodeRoles.CONTROL_PLANE_LABEL, null, "NoSchedule");

    /** {@code key=value:effect}, as kubectl and kubelet's --register-with-taints write it. */
    @Override
    public String toString() {
        return key + (value == null || value.isEmpty() ? "" : "=" + value) + ":" + effect;
    }
}
