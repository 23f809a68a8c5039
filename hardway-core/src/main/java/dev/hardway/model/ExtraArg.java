package dev.hardway.model;

/**
 * One command-line flag added to a component, as kubeadm's v1beta4 {@code extraArgs} lists them. It is checked
 * against the flags that component has in the targeted Kubernetes release ({@link ComponentFlags}).
 *
 * @param name  the flag without its leading dashes, e.g. {@code audit-log-maxage}
 * @param value its value, e.g. {@code 30}; empty for a boolean flag that is to be {@code true}
 */
public record ExtraArg(
        @SpecField(description = "The flag's name without the leading '--'.", example = "v", required = true,
                format = ValueFormat.FLAG_NAME)
        String name,
        @SpecField(description = "The flag's value, written as --name=value; one word without quotes, '$' or "
                + "'%'.", example = "2", required = true, format = ValueFormat.FLAG_VALUE)
        String value) {

    /** {@code --name=value}, as the unit file passes it. */
    public String flag() {
        return "--" + name + "=" + value;
    }
}
