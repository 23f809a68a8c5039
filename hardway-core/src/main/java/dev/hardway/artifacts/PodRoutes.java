package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;
import dev.hardway.model.ResolvedCluster;

import java.util.List;
import java.util.Map;

/**
 * Routes to the pod subnets of the Nodes (workers, and controllers that are also Nodes). The bridge CNI plugin
 * only knows its own node's podCidr, so without these a pod reaches no pod on another node, and a controller
 * (kube-apiserver calling a webhook or an aggregated API server by endpoint IP) reaches no pod at all.
 *
 * <p>The route table is one file, the same on every node: each node skips the routes whose gateway is one of its
 * own addresses. So adding a worker changes that one table (and nothing else of the other nodes), and the golden
 * snapshot holds the table once, however large the cluster. A oneshot unit applies it at boot and whenever it
 * changes; routes it added carry their own protocol number, so a route of a removed worker is deleted on the
 * next apply instead of lingering until reboot.
 *
 * <p>Each route goes via the worker's internalIp, which assumes the nodes share a layer-2 network, as Kubernetes
 * The Hard Way does; elsewhere the same routes belong in the network's router. A route the kernel refuses (its
 * gateway is not on a link of the node) does not hold back the others: the script adds every other route, names
 * each refused one with the reason and fails the unit, and install.sh still starts the services after it.
 */
public final class PodRoutes {
    public static final String SERVICE = "hardway-pod-routes";
    /** iproute2's path on merged-/usr and older Debian-family systems alike. */
    public static final String IP = "/sbin/ip";
    public static final String TABLE = "/etc/hardway/pod-routes";
    public static final String APPLY = "/usr/local/lib/hardway/apply-pod-routes.sh";
    /**
     * The route protocol hardway's routes carry (see {@code ip route ... proto}): outside the numbers iproute2
     * and the common routing daemons use, so hardway removes only its own routes.
     */
    public static final int ROUTE_PROTOCOL = 212;

    private final List<HostFile> files;

    private PodRoutes(List<HostFile> files) {
        this.files = files;
    }

    /** A route to {@code destination} (a Node's podCidr) via {@code gateway} (that Node's internalIp). */
    public record Route(String destination, String gateway, String node) {
    }

    /** Every Node's route (the controllers that are Nodes, then the workers), in spec order. */
    public static List<Route> of(ResolvedCluster cluster) {
        return cluster.kubeletNodes().stream().map(w -> new Route(w.podCidr(), w.internalIp(), w.name())).toList();
    }

    /** Renders the table, the apply script and the unit once for the whole cluster. */
    public static PodRoutes render(GenerationContext ctx) {
        Map<String, Object> model = ctx.model("");
        model.put("routes", of(ctx.cluster()));
        model.put("ip", IP);
        model.put("table", TABLE);
        model.put("apply", APPLY);
        model.put("protocol", ROUTE_PROTOCOL);
        return new PodRoutes(List.of(
                ctx.render("network/pod-routes.ftl", model, TABLE, 0644, SERVICE),
                ctx.render("network/apply-pod-routes.sh.ftl", model, APPLY, 0755, SERVICE),
                ctx.render("network/hardway-pod-routes.service.ftl", model, HostPaths.unit(SERVICE), 0644, SERVICE)));
    }

    /** The same files for every node. */
    public List<HostFile> files() {
        return files;
    }

    public List<String> services() {
        return List.of(SERVICE);
    }

    /** The programs the unit runs, for install.sh's preflight. */
    public List<String> binaries() {
        return List.of(IP);
    }
}
