package dev.hardway.model;

/**
 * A control-plane host: etcd member, kube-apiserver, kube-controller-manager and kube-scheduler.
 *
 * @param name       host name, a DNS-1123 label; also the bundle's name
 * @param internalIp the address other nodes reach it on
 */
public record ControllerSpec(String name, String internalIp) implements NodeSpec {
}
