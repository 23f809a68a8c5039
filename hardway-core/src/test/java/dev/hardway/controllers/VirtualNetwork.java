package dev.hardway.controllers;

import java.util.ArrayList;
import java.util.List;

/**
 * Hosts on one layer-2 network, every part of it a network namespace this test creates: a "switch" namespace
 * holding a bridge, and per host a namespace whose eth0 is a veth pair plugged into that bridge. Nothing is
 * connected to the machine's own network.
 *
 * <p>Separate namespaces matter where the source address of a connection is checked: etcd verifies that a peer
 * connects from an address its peer certificate names, and hosts sharing one namespace would all appear to
 * connect from the address they dialled.
 */
final class VirtualNetwork implements AutoCloseable {
    private final NetworkNamespace fabric;
    private final List<NetworkNamespace> hosts = new ArrayList<>();

    private VirtualNetwork(NetworkNamespace fabric) {
        this.fabric = fabric;
    }

    static VirtualNetwork create(String purpose) {
        NetworkNamespace fabric = NetworkNamespace.create(purpose + "-sw");
        VirtualNetwork network = new VirtualNetwork(fabric);
        try {
            fabric.ip("link", "add", "br0", "type", "bridge");
            fabric.ip("link", "set", "br0", "up");
        } catch (RuntimeException | AssertionError e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** A new host on the network with {@code address} on its eth0; IPv4 hosts share a /24, IPv6 hosts a /64. */
    NetworkNamespace host(String label, String address) {
        int index = hosts.size();
        NetworkNamespace host = NetworkNamespace.create(label);
        hosts.add(host);
        String port = "port" + index;
        host.ip("link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", fabric.name());
        fabric.ip("link", "set", port, "master", "br0");
        fabric.ip("link", "set", port, "up");
        host.ip("addr", "add", address + (address.contains(":") ? "/64" : "/24"), "dev", "eth0");
        host.ip("link", "set", "eth0", "up");
        return host;
    }

    @Override
    public void close() {
        // hosts first: their servers stop, then their veth pairs go with their namespaces
        for (NetworkNamespace host : hosts) {
            host.close();
        }
        fabric.close();
    }
}
