package dev.hardway.model;

import java.util.List;
import java.util.Map;

/** What every host in the cluster has: a name and an address; and, where it is a Node, how it registers. */
public sealed interface NodeSpec permits ControllerSpec, WorkerSpec {
    String name();

    String internalIp();

    /** The pod subnet, or {@code null} to allocate one (where the host is a Node). */
    String podCidr();

    /** Labels the kubelet registers the Node with; {@code null} when the spec gives none. */
    Map<String, String> labels();

    /** Taints the kubelet registers the Node with; {@code null} for the role's default. */
    List<TaintSpec> taints();
}
