package dev.hardway.realhost;

import dev.hardway.testing.ProcessRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Host correctness (issue 8, item 1), on the booted workers of
 * {@link RealHostCluster}, stock Debian 12 systems without systemd-resolved: what the real kubelet needs from the
 * host it is installed on. The kubelet itself is a stand-in here, so these tests check the host, not the kubelet.
 */
class HostCorrectnessHostTest {
    private static RealHostCluster cluster;

    @BeforeAll
    static void boot() {
        cluster = RealHostCluster.shared();
    }

    /** The real kubelet fails every pod sandbox when its resolvConf does not exist ("open ...: no such file"). */
    @Test
    void kubeletResolvConf_existsOnTheHost() {
        BootedNode worker = cluster.node("worker-0");
        String config = worker.shOk(Duration.ofSeconds(10), "cat /var/lib/kubelet/kubelet-config.yaml").output();
        Matcher m = Pattern.compile("(?m)^resolvConf:\\s*\"?([^\"\\s]+)").matcher(config);
        if (!m.find()) {
            fail("no resolvConf in the kubelet configuration:\n" + config);
        }
        String path = m.group(1);
        ProcessRun exists = worker.sh(Duration.ofSeconds(10), "test -f " + path);
        assertTrue(exists.succeeded(), () -> "the kubelet's resolvConf " + path + " does not exist on worker-0 ("
                + worker.sh(Duration.ofSeconds(10), "systemctl is-active systemd-resolved").output().strip()
                + " systemd-resolved); the real kubelet would fail every pod sandbox");
    }

    /** A worker whose apiServer.endpoint does not resolve installs "successfully" and never joins. */
    @Test
    void apiServerEndpoint_resolvesOnTheWorker_orInstallSaysItDoesNot() {
        BootedNode worker = cluster.node("worker-0");
        String host = cluster.main.rendered().cluster().apiEndpointHost();
        ProcessRun resolves = worker.sh(Duration.ofSeconds(10), "getent hosts " + host);
        String install = cluster.firstInstall.get(worker.name).output();
        assertTrue(resolves.succeeded() || install.contains(host),
                () -> host + " does not resolve on worker-0, and install.sh said nothing about it:\n" + install);
    }
}
