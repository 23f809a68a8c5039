package dev.hardway.model;

import java.util.List;

/**
 * Settings of a control-plane component that hardway configures entirely itself but for added flags.
 *
 * @param extraArgs flags added to the component's command line, checked against that component's flags in the
 *                  targeted release
 */
public record ComponentSpec(
        @SpecField(description = "Flags added to the component's command line, kubeadm's extraArgs: each must "
                + "exist in the targeted release and must not be one hardway sets itself.",
                example = "[{name: v, value: 4}]", defaultRule = "none")
        List<ExtraArg> extraArgs) {

    public ComponentSpec {
        extraArgs = SpecLists.copyOf("ComponentSpec", "extraArgs", extraArgs);
    }
}
