package dev.hardway.model;

/**
 * Kubelet host settings; every field is optional.
 *
 * @param resolvConf the resolver file pods inherit upstream servers from. The default,
 *                   {@code /run/systemd/resolve/resolv.conf}, lists the real upstreams on systemd-resolved hosts,
 *                   where {@code /etc/resolv.conf} points at the 127.0.0.53 stub and CoreDNS would forward to itself.
 * @param maxPods    pods per node, 110 by default
 */
public record KubeletSpec(String resolvConf, Integer maxPods) {
}
