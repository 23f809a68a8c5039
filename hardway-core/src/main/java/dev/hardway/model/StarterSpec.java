package dev.hardway.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The commented starter {@code cluster.yaml} that {@code hardway:init} writes: a valid cluster of the asked size,
 * each field explained by its {@link SpecField} description, the optional sections shown commented out with
 * their defaults.
 */
public final class StarterSpec {
    /**
     * Every node is in 10.240.0.0/24, controllers from .10 and workers from .20 to .249, and each worker takes a
     * /24 of 10.200.0.0/16.
     */
    public static final int MAX_WORKERS = 230;
    public static final int MAX_CONTROLLERS = SpecValidator.MAX_CONTROLLERS;
    private static final int WIDTH = 110;
    /**
     * Why the starter keeps every node in one /24: a static pod route's next hop is another node's internalIp,
     * which the kernel reaches only on the node's own link.
     */
    private static final String ONE_LINK = "Every node, controller or worker, must be on one L2 network (here "
            + "10.240.0.0/24): a node reaches the pods of another by a static route to that node's podCidr via its "
            + "internalIp (ip route add <podCidr> via <internalIp>), and such a next hop must be on the same link, "
            + "not behind a router.";

    private StarterSpec() {
    }

    /**
     * The starter text.
     *
     * @throws IllegalArgumentException with a message for the user when the sizes cannot make a valid cluster
     */
    public static String text(int controllers, int workers) {
        List<String> wrong = new ArrayList<>();
        if (controllers < 1 || controllers > MAX_CONTROLLERS || controllers % 2 == 0) {
            wrong.add("controllers: " + controllers + " is not an odd number between 1 and " + MAX_CONTROLLERS
                    + " (etcd needs a majority of its members: 1, 3 or 5 controllers are usual)");
        }
        if (workers < 0 || workers > MAX_WORKERS) {
            wrong.add("workers: " + workers + " is not between 0 and " + MAX_WORKERS);
        }
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", wrong));
        }
        KubernetesRelease newest = KubernetesRelease.values()[KubernetesRelease.values().length - 1];
        ClusterSpec.Builder b = ClusterSpec.builder()
                .name("demo")
                .kubernetesVersion("1." + newest.minor() + ".0")
                .apiServer(a -> a.endpoint("https://server.kubernetes.local:6443"))
                .network(n -> n.clusterCidr("10.200.0.0/16").serviceCidr("10.32.0.0/24").clusterDns("10.32.0.10")
                        .clusterDomain("cluster.local"));
        // without workers the validator needs the controllers to be Nodes, as in samples/single-node
        boolean controllersAreNodes = workers == 0;
        if (controllersAreNodes) {
            b.controlPlane(new ControlPlaneSpec(true, null));
        }
        for (int i = 0; i < controllers; i++) {
            int n = i;
            b.controller(c -> c.name("controller-" + n).internalIp("10.240.0." + (10 + n)));
        }
        for (int i = 0; i < workers; i++) {
            int n = i;
            b.worker(w -> w.name("worker-" + n).internalIp("10.240.0." + (20 + n)));
        }
        ClusterSpec spec = b.build();
        StringBuilder out = new StringBuilder()
                .append("# The cluster hardway generates: `mvn hardway:generate` turns this file into a CA, ")
                .append("certificates,\n# kubeconfigs, configuration and one <node>.tar.gz per host. ")
                .append("`mvn hardway:explain` shows it with every default\n# filled in. Field reference: ")
                .append("docs/cluster-yaml.md in hardway's repository; JSON Schema for editors:\n# ")
                .append(SpecSchema.RESOURCE).append(" in the hardway-core jar.\n")
                .append(SpecWriter.toYaml(spec, StarterSpec::comment));
        ResolvedCluster resolved = ResolvedCluster.resolve(spec);
        ClusterSpec defaults = resolved.explicitSpec();
        optional(out, "pki", holder().pki(defaults.pki()));
        optional(out, "containerd", holder().containerd(defaults.containerd()));
        // resolvConf has no value to show: absent, install.sh chooses it per host
        optional(out, "kubelet", holder().kubelet(new KubeletSpec(null, defaults.kubelet().maxPods(), null)));
        optional(out, "kubeProxy", holder().kubeProxy(new KubeProxySpec(defaults.kubeProxy().mode(), null)));
        if (!controllersAreNodes) {
            optional(out, "controlPlane", holder().controlPlane(new ControlPlaneSpec(false, null)));
        }
        optional(out, "controllerManager", holder().controllerManager(new ComponentSpec(List.of())));
        optional(out, "scheduler", holder().scheduler(new ComponentSpec(List.of())));
        optional(out, "binaries", holder().binaries(new BinariesSpec("amd64", List.of())));
        return out.toString();
    }

    /** A spec that holds nothing but the one section {@link #optional} shows. */
    private static ClusterSpec.Builder holder() {
        return ClusterSpec.builder();
    }

    /** An optional section, commented out, with its default values (for the release this starter targets). */
    private static void optional(StringBuilder out, String name, ClusterSpec.Builder builder) {
        ClusterSpec b = builder.build();
        ClusterSpec holder = new ClusterSpec(null, null, null, null, b.controlPlane(), null, null, b.pki(),
                b.containerd(), b.kubelet(), b.kubeProxy(), b.controllerManager(), b.scheduler(), b.binaries());
        ModelField field = ModelField.named(ClusterSpec.class, name).orElseThrow();
        out.append('\n').append(wrap("", field.doc().description() + " Optional; the defaults:"));
        for (String line : SpecWriter.toYaml(holder).split("\n")) {
            out.append("# ").append(line).append('\n');
        }
        // a default that is a choice made later (kubelet.resolvConf, per host) has no value to show: say what it is
        // (a list left out simply has no items)
        Record section = (Record) field.valueOf(holder);
        for (ModelField f : ModelField.of(field.section())) {
            if (f.valueOf(section) == null && !f.kind().isList() && !f.doc().defaultRule().isEmpty()) {
                out.append(wrap("#   ", f.name() + " (left out): " + f.doc().defaultRule()));
            }
        }
    }

    private static String comment(ModelField f, String indent) {
        if (f.section() != null && f.kind() == ModelField.Kind.SECTION_LIST) {
            StringBuilder each = new StringBuilder("\n");
            if (f.section() == ControllerSpec.class) {
                // said once, above the first list of nodes
                each.append(wrap(indent, ONE_LINK)).append("#\n");
            }
            each.append(wrap(indent, f.doc().description() + " Each has:"));
            for (ModelField item : ModelField.of(f.section())) {
                each.append(wrap(indent, "  ", item.name() + (item.required() ? "" : " (optional)") + ": "
                        + item.doc().description()));
            }
            return each.toString();
        }
        if (f.component().getDeclaringRecord() == ControllerSpec.class
                || f.component().getDeclaringRecord() == WorkerSpec.class) {
            return "";
        }
        return (indent.isEmpty() ? "\n" : "") + wrap(indent, f.doc().description());
    }

    private static String wrap(String indent, String text) {
        return wrap(indent, "", text);
    }

    /** {@code text} as comment lines of at most {@link #WIDTH} characters; {@code lead} starts the first one. */
    private static String wrap(String indent, String lead, String text) {
        StringBuilder out = new StringBuilder();
        String first = indent + "# " + lead;
        String next = indent + "# " + " ".repeat(lead.length() + (lead.isEmpty() ? 0 : 2));
        StringBuilder line = new StringBuilder(first);
        for (String word : text.split(" ")) {
            boolean empty = line.length() == first.length() || line.toString().equals(next);
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder(next);
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
        }
        return out.append(line).append('\n').toString();
    }
}
