package dev.hardway.artifacts;

import dev.hardway.bundle.NodeBundle;
import dev.hardway.model.ResolvedCluster;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Every node's bundle from the resolved cluster and its issued PKI; nodes are planned in parallel. */
public final class ClusterPlanner {
    private ClusterPlanner() {
    }

    /** Controllers first, then workers, each in spec order. */
    public static List<NodeBundle> plan(GenerationContext ctx) {
        ResolvedCluster cluster = ctx.cluster();
        PodRoutes routes = PodRoutes.render(ctx);
        WorkerPlanner workers = new WorkerPlanner(ctx, routes);
        ControllerPlanner controllers = new ControllerPlanner(ctx, routes, workers);
        int c = cluster.controllers().size();
        List<NodeBundle> bundles = IntStream.range(0, c + cluster.workers().size()).parallel()
                .mapToObj(i -> i < c ? controllers.plan(cluster.controllers().get(i))
                        : workers.plan(cluster.workers().get(i - c)))
                .toList();
        return new ArrayList<>(bundles);
    }
}
