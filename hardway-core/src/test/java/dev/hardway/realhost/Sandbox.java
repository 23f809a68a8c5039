package dev.hardway.realhost;

import dev.hardway.testing.ProcessRun;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pod sandbox created through containerd's CRI API on a booted worker, with the test's CRI client
 * (kit/cri.py, stubs compiled from the CRI API's api.proto): containerd runs the locally imported pause image with
 * runc and gives it a network namespace from the generated CNI configuration. Closing stops and removes it.
 */
record Sandbox(BootedNode node, String id, String ip, String netns) implements AutoCloseable {
    static final String CRI = "python3 /opt/hardway-realhost/test/cri.py /run/containerd/containerd.sock";
    private static final Pattern FIELD = Pattern.compile("\"(state|ip|netns)\": \"([^\"]*)\"");

    static Sandbox run(BootedNode node, String name) {
        String uid = "uid-" + name + "-" + ProcessHandle.current().pid();
        ProcessRun runp = node.shOk(Duration.ofSeconds(120), CRI + " runp " + name + " default " + uid);
        String id = runp.output().strip().lines().reduce((a, b) -> b).orElse("");
        ProcessRun inspect = node.shOk(Duration.ofSeconds(60), CRI + " inspectp " + id);
        String state = "";
        String ip = "";
        String netns = "";
        Matcher m = FIELD.matcher(inspect.output());
        while (m.find()) {
            switch (m.group(1)) {
                case "state" -> state = m.group(2);
                case "ip" -> ip = m.group(2);
                default -> netns = m.group(2);
            }
        }
        Sandbox sandbox = new Sandbox(node, id, ip, netns);
        if (!state.equals("SANDBOX_READY") || ip.isEmpty() || netns.isEmpty()) {
            sandbox.close();
            throw new AssertionError(node.name + ": sandbox " + name + " not ready with an address and a network "
                    + "namespace: " + inspect.output());
        }
        return sandbox;
    }

    /** Runs a shell command inside the sandbox's network namespace (with the node's static busybox). */
    ProcessRun inNetns(Duration limit, String command) {
        return node.sh(limit, "nsenter --net=" + netns + " " + command);
    }

    @Override
    public void close() {
        node.sh(Duration.ofSeconds(60), CRI + " stopp " + id + "; " + CRI + " rmp " + id);
    }
}
