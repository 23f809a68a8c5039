package dev.hardway.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command-line flags a component has in one Kubernetes minor, read from the tables shipped under
 * {@code dev/hardway/flags/}: {@code <component>-1.<minor>.flags} (every flag, one a line; {@code config} marks a
 * kubelet flag deprecated in favour of its configuration file) and {@code <component>.removed} (flags removed
 * upstream, with the release that dropped them, named in the error). Every component hardway starts has a
 * table for every supported minor; each file's header says which upstream sources it was derived from and what
 * could not be verified there.
 *
 * <p>It also knows the flags hardway writes into each unit, which the spec may not repeat: two values for one flag
 * would leave the operator guessing which one the component took.
 */
public final class ComponentFlags {
    public static final String KUBE_APISERVER = "kube-apiserver";
    public static final String KUBE_CONTROLLER_MANAGER = "kube-controller-manager";
    public static final String KUBE_SCHEDULER = "kube-scheduler";
    public static final String KUBELET = "kubelet";
    public static final String KUBE_PROXY = "kube-proxy";

    /**
     * What hardway sets, per component: in the unit (kept equal to the templates by KubeletFlagsTest) or in the
     * component's configuration file, with where the spec changes it instead. {@code v} is not here: it is the one
     * flag a spec may set, and its value replaces hardway's {@code --v=2}.
     */
    private static final Map<String, Map<String, String>> OWNED = Map.of(
            KUBE_APISERVER, unit("advertise-address allow-privileged audit-log-maxage audit-log-maxbackup "
                    + "audit-log-maxsize audit-log-path audit-policy-file authorization-mode bind-address client-ca-file "
                    + "enable-admission-plugins enable-aggregator-routing encryption-provider-config etcd-cafile "
                    + "etcd-certfile etcd-keyfile etcd-servers kubelet-certificate-authority kubelet-client-certificate "
                    + "kubelet-client-key kubelet-preferred-address-types proxy-client-cert-file proxy-client-key-file "
                    + "requestheader-allowed-names requestheader-client-ca-file requestheader-extra-headers-prefix "
                    + "requestheader-group-headers requestheader-username-headers secure-port service-account-issuer "
                    + "service-account-key-file service-account-signing-key-file service-cluster-ip-range tls-cert-file "
                    + "tls-private-key-file", "kube-apiserver.service"),
            KUBE_CONTROLLER_MANAGER, unit("allocate-node-cidrs authentication-kubeconfig authorization-kubeconfig "
                    + "bind-address client-ca-file cluster-cidr cluster-name cluster-signing-cert-file "
                    + "cluster-signing-key-file kubeconfig leader-elect requestheader-client-ca-file root-ca-file "
                    + "service-account-private-key-file service-cluster-ip-range use-service-account-credentials",
                    "kube-controller-manager.service"),
            KUBE_SCHEDULER, unit("authentication-kubeconfig authorization-kubeconfig bind-address config",
                    "kube-scheduler.service"),
            KUBE_PROXY, merge(unit("config", "kube-proxy.service"), unit("kubeconfig hostname-override "
                    + "cluster-cidr", "kube-proxy-config.yaml"), Map.of("proxy-mode",
                    "kube-proxy-config.yaml; set kubeProxy.mode")),
            KUBELET, merge(unit("config kubeconfig hostname-override node-ip", "kubelet.service"),
                    unit("client-ca-file anonymous-auth authentication-token-webhook authorization-mode cgroup-driver "
                            + "container-runtime-endpoint cluster-domain tls-cert-file tls-private-key-file "
                            + "tls-min-version rotate-certificates rotate-server-certificates fail-swap-on "
                            + "runtime-request-timeout", "kubelet-config.yaml"),
                    Map.of("cluster-dns", "kubelet-config.yaml; set network.clusterDns",
                            "resolv-conf", "kubelet-config.yaml; set kubelet.resolvConf",
                            "max-pods", "kubelet-config.yaml; set kubelet.maxPods",
                            "node-labels", "kubelet.service; set labels on the node",
                            "register-with-taints", "kubelet-config.yaml; set taints on the node")));

    private static final Map<String, Optional<ComponentFlags>> TABLES = new ConcurrentHashMap<>();

    /** Per flag: empty, {@code config} (kubelet: deprecated for the file) or {@code ignored} (kube-proxy). */
    private final Map<String, String> flags;
    private final Map<String, String> removed;

    private ComponentFlags(Map<String, String> flags, Map<String, String> removed) {
        this.flags = flags;
        this.removed = removed;
    }

    /** The flag table of {@code component} in Kubernetes 1.{@code minor}, or empty where hardway ships none. */
    public static Optional<ComponentFlags> of(String component, int minor) {
        return TABLES.computeIfAbsent(component + "-1." + minor, key -> load(component, minor));
    }

    /** Where hardway sets {@code --name} of {@code component} itself, if it does. */
    public static Optional<String> setByHardway(String component, String name) {
        return Optional.ofNullable(OWNED.getOrDefault(component, Map.of()).get(name));
    }

    /** The flags hardway writes into {@code component}'s unit file, beside {@code --v}. */
    public static Set<String> unitFlags(String component) {
        Set<String> out = new java.util.TreeSet<>();
        OWNED.getOrDefault(component, Map.of()).forEach((flag, where) -> {
            if (where.startsWith(component + ".service")) {
                out.add(flag);
            }
        });
        return out;
    }

    public boolean has(String name) {
        return flags.containsKey(name);
    }

    public Set<String> names() {
        return flags.keySet();
    }

    /** The release that removed {@code name}, and why, when the table records it. */
    public Optional<String> removedIn(String name) {
        return Optional.ofNullable(removed.get(name));
    }

    /**
     * For a flag this release does not have: {@code " (removed in Kubernetes 1.24; why)"}, or the flag probably
     * meant ({@code "; did you mean --node-ip?"}), or nothing.
     */
    public String unknownHint(String name) {
        return removedIn(name).map(r -> " (removed in Kubernetes " + r + ")")
                .orElseGet(() -> SpecValidator.closest(name, names()).map(c -> "; did you mean --" + c + "?")
                        .orElse(""));
    }

    /** For a kubelet flag deprecated in favour of the configuration file: a note saying so. */
    public Optional<String> configField(String name) {
        return "config".equals(flags.get(name)) ? Optional.of("kubelet-config.yaml") : Optional.empty();
    }

    /** Whether the component ignores {@code --name} once it reads a configuration file, as hardway starts it. */
    public boolean ignoredWithConfigFile(String name) {
        return "ignored".equals(flags.get(name));
    }

    private static Optional<ComponentFlags> load(String component, int minor) {
        Map<String, String> flags = new TreeMap<>();
        if (!read("dev/hardway/flags/" + component + "-1." + minor + ".flags", line -> {
            String[] words = line.split("\\s+");
            flags.put(words[0], words.length > 1 ? words[1] : "");
        })) {
            return Optional.empty();
        }
        Map<String, String> removed = new HashMap<>();
        read("dev/hardway/flags/" + component + ".removed", line -> {
            String[] words = line.split("\\s+", 3);
            removed.put(words[0], words[1] + (words.length > 2 ? "; " + words[2] : ""));
        });
        return Optional.of(new ComponentFlags(Collections.unmodifiableMap(flags), Map.copyOf(removed)));
    }

    private static boolean read(String resource, java.util.function.Consumer<String> line) {
        try (InputStream in = ComponentFlags.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (!l.isBlank() && !l.startsWith("#")) {
                    line.accept(l.trim());
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> unit(String flags, String file) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : flags.split(" ")) {
            out.put(f, file);
        }
        return out;
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... maps) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> m : maps) {
            out.putAll(m);
        }
        return Collections.unmodifiableMap(out);
    }
}
