package dev.hardway.realhost;

import dev.hardway.testing.ProcessRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import static dev.hardway.testing.ProcessRun.argv;

/**
 * The nodes' LAN, made only of network namespaces this test creates: a hub namespace holding bridge {@code br0}, and
 * per node a namespace whose {@code eth0} is one end of a veth pair plugged into that bridge. Nothing touches the
 * machine's own network. Node addresses get the LAN's /24 so that pod routes' gateways are on-link.
 */
final class HubNetwork implements AutoCloseable {
    private static final Duration STEP = Duration.ofSeconds(20);
    private final String hub;
    private final String tag;
    private final List<String> namespaces = new ArrayList<>();

    private HubNetwork(String hub, String tag) {
        this.hub = hub;
        this.tag = tag;
    }

    static HubNetwork create() {
        return create("");
    }

    /** A network whose namespace names carry {@code tag}, so that two networks of one test JVM never collide. */
    static HubNetwork create(String tag) {
        long pid = ProcessHandle.current().pid();
        HubNetwork net = new HubNetwork("hwrh-hub-" + (tag.isEmpty() ? "" : tag + "-") + pid, tag);
        net.add(net.hub);
        try {
            ProcessRun.ok(STEP, argv("ip", "-n", net.hub, "link", "add", "br0", "type", "bridge"));
            ProcessRun.ok(STEP, argv("ip", "-n", net.hub, "link", "set", "br0", "up"));
        } catch (RuntimeException | AssertionError e) {
            net.close();
            throw e;
        }
        return net;
    }

    private synchronized void add(String ns) {
        ProcessRun.ok(STEP, argv("ip", "netns", "add", ns));
        namespaces.add(ns);
        ProcessRun.ok(STEP, argv("ip", "-n", ns, "link", "set", "lo", "up"));
    }

    /** A new namespace for {@code node}, its eth0 on the hub with {@code address}/24; returns its name. */
    synchronized String node(String node, String address) {
        int index = namespaces.size();
        String ns = "hwrh-" + tag + index + "-" + ProcessHandle.current().pid();
        add(ns);
        String port = "p" + index;
        ProcessRun.ok(STEP, argv("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns",
                hub));
        ProcessRun.ok(STEP, argv("ip", "-n", hub, "link", "set", port, "master", "br0"));
        ProcessRun.ok(STEP, argv("ip", "-n", hub, "link", "set", port, "up"));
        ProcessRun.ok(STEP, argv("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0"));
        ProcessRun.ok(STEP, argv("ip", "-n", ns, "link", "set", "eth0", "up"));
        return ns;
    }

    /** Deletes every namespace this network created; their veths go with them. */
    @Override
    public synchronized void close() {
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String ns = namespaces.get(i);
            ProcessRun pids = ProcessRun.run(STEP, argv("ip", "netns", "pids", ns));
            pids.output().lines().map(String::strip).filter(l -> l.matches("\\d+"))
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
            ProcessRun.run(STEP, argv("ip", "netns", "del", ns));
        }
        namespaces.clear();
    }
}
