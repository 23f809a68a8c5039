package dev.hardway.render;

import dev.hardway.model.ComponentFlags;
import dev.hardway.model.Version;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an override's unit gives a daemon hardway installs, beside systemd's syntax: such a unit is often an older
 * tutorial's, written for a release whose flags are gone, and a flag the binary does not know fails it at start on
 * the host, long after generate said nothing. Held to the same tables as the spec's {@code extraArgs}.
 *
 * <ul>
 *   <li>A Kubernetes component (kubelet, kube-proxy, kube-apiserver, kube-controller-manager, kube-scheduler): every
 *       {@code --flag} must exist in the targeted release; a removed one is named with the release that dropped
 *       it. kube-proxy started with {@code --config} ignores most of its other flags, so those are refused too.</li>
 *   <li>Every daemon, etcd and containerd included: a {@code $NAME} inside a word. systemd replaces {@code $NAME}
 *       only as a word of its own and passes it on as written inside one, so the daemon would be given the text
 *       {@code $NAME} itself; {@code ${NAME}} is what the author meant. A shell a unit starts is not held to this:
 *       there the {@code $} is the shell's.</li>
 * </ul>
 */
final class DaemonCommandCheck implements SystemdUnitCheck.CommandCheck {
    private static final Set<String> KUBERNETES = Set.of(ComponentFlags.KUBE_APISERVER,
            ComponentFlags.KUBE_CONTROLLER_MANAGER, ComponentFlags.KUBE_SCHEDULER, ComponentFlags.KUBELET,
            ComponentFlags.KUBE_PROXY);
    private static final Set<String> OTHER_DAEMONS = Set.of("etcd", "containerd");

    private final Version kubernetes;

    DaemonCommandCheck(Version kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public Optional<SystemdUnitCheck.Refusal> problem(SystemdCommandLine.Command command) {
        String daemon = command.programName();
        if (!KUBERNETES.contains(daemon) && !OTHER_DAEMONS.contains(daemon)) {
            return Optional.empty();
        }
        if (command.substitutesVariables()) {
            for (String word : command.arguments()) {
                Optional<String> braceless = bracelessVariableInside(word);
                if (braceless.isPresent()) {
                    return refused(word, "systemd replaces $" + braceless.get() + " only as a word of its own; inside "
                            + "a word it passes it on as written, so " + daemon + " would be given '$"
                            + braceless.get() + "' itself. Write ${" + braceless.get() + "}, or $$" + braceless.get()
                            + " for the text itself");
                }
            }
        }
        Optional<ComponentFlags> table = KUBERNETES.contains(daemon)
                ? ComponentFlags.of(daemon, kubernetes.minor()) : Optional.empty();
        return table.flatMap(flags -> unknownFlag(daemon, flags, command.arguments()));
    }

    private Optional<SystemdUnitCheck.Refusal> unknownFlag(String daemon, ComponentFlags flags,
                                                         List<String> arguments) {
        boolean withConfigFile = arguments.stream().anyMatch(a -> a.equals("--config") || a.startsWith("--config="));
        for (String word : arguments) {
            if (word.equals("--")) {
                break; // what follows is no flag, for pflag as for getopt
            }
            if (!word.startsWith("--")) {
                continue; // a value, a shorthand (-v=2), or a variable's words
            }
            int equals = word.indexOf('=');
            // the components normalise '_' to '-' (component-base's WordSepNormalizeFunc): --node_ip is --node-ip
            String name = word.substring(2, equals < 0 ? word.length() : equals).replace('_', '-');
            if (name.indexOf('$') >= 0 || name.indexOf('%') >= 0) {
                continue; // known only when systemd runs it
            }
            String release = daemon + " " + kubernetes.minorLine();
            if (!flags.has(name)) {
                return refused(word, release + " would not start: it has no flag --" + name
                        + flags.unknownHint(name));
            }
            if (withConfigFile && flags.ignoredWithConfigFile(name)) {
                return refused(word, release + " ignores --" + name + " when it reads a configuration file, and "
                        + "this command gives it --config; set the field in the file");
            }
        }
        return Optional.empty();
    }

    private static Optional<SystemdUnitCheck.Refusal> refused(String word, String why) {
        return Optional.of(new SystemdUnitCheck.Refusal(word, "'" + word + "': " + why));
    }

    /** The name of the first {@code $NAME} inside {@code word} that systemd leaves as it is, if any. */
    private static Optional<String> bracelessVariableInside(String word) {
        if (word.startsWith("$") && word.length() > 1 && word.charAt(1) != '{' && word.charAt(1) != '$') {
            return Optional.empty(); // a word of its own: systemd splits the variable into words
        }
        for (int i = 0; i + 1 < word.length(); i++) {
            if (word.charAt(i) != '$') {
                continue;
            }
            char next = word.charAt(i + 1);
            if (next == '$' || next == '{') {
                i++; // $$ is a dollar; ${...} is substituted
                continue;
            }
            int end = i + 1;
            while (end < word.length() && SystemdCommandLine.isNameChar(word.charAt(end))) {
                end++;
            }
            String name = word.substring(i + 1, end);
            if (SystemdCommandLine.isVariableName(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
