package dev.hardway.artifacts;

import dev.hardway.bundle.HostFile;
import dev.hardway.model.ResolvedCluster;

import java.util.List;
import java.util.Map;

/**
 * Routes to the pod subnets of the other workers. The bridge CNI plugin only knows its own node's podCidr, so
 * without these a pod reaches no pod on another worker, and a controller (kube-apiserver calling a webhook or an
 * aggregated API server by endpoint IP) reaches no pod at all.
 *
 * <p>Each route goes via the worker's internalIp, which assumes the nodes share a layer-2 network, as Kubernetes
 * The Hard Way does; elsewhere the same routes belong in the network's router. They live in a oneshot unit so that
 * they come back after every reboot, and {@code ip route replace} makes a restart idempotent.
 */
public final class PodRoutes {
    public static final String SERVICE = "hardway-pod-routes";
    public static final String TEMPLATE = "network/hardway-pod-routes.service.ftl";
    /** iproute2's path on merged-/usr and older Debian-family systems alike. */
    public static final String IP = "/sbin/ip";

    private PodRoutes() {
    }

    /** A route to {@code destination} (a worker's podCidr) via {@code gateway} (that worker's internalIp). */
    public record Route(String destination, String gateway) {
    }

    /** The routes {@code node} needs: one per worker other than itself, in spec order. */
    public static List<Route> of(ResolvedCluster cluster, String node) {
        return cluster.workers().stream().filter(w -> !w.name().equals(node))
                .map(w -> new Route(w.podCidr(), w.internalIp())).toList();
    }

    /** The unit holding {@code node}'s routes, or nothing when there is no other worker to route to. */
    public static List<HostFile> files(GenerationContext ctx, String node) {
        List<Route> routes = of(ctx.cluster(), node);
        if (routes.isEmpty()) {
            return List.of();
        }
        Map<String, Object> model = ctx.model(node);
        model.put("routes", routes);
        model.put("ip", IP);
        return List.of(ctx.render(TEMPLATE, model, HostPaths.unit(SERVICE), 0644, SERVICE));
    }

    /** The unit's service name when {@code node} has routes, for the bundle's service list. */
    public static List<String> services(ResolvedCluster cluster, String node) {
        return of(cluster, node).isEmpty() ? List.of() : List.of(SERVICE);
    }

    /** The program the unit runs, for install.sh's preflight. */
    public static List<String> binaries(ResolvedCluster cluster, String node) {
        return of(cluster, node).isEmpty() ? List.of() : List.of(IP);
    }
}
