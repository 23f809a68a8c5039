package dev.hardway.render;

import dev.hardway.model.Version;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonCommandCheckTest {
    private static final DaemonCommandCheck V1_32 = new DaemonCommandCheck(new Version(1, 32, 3));
    private static final DaemonCommandCheck V1_35 = new DaemonCommandCheck(new Version(1, 35, 0));

    private static Optional<String> check(DaemonCommandCheck check, String line) {
        var commands = SystemdCommandLine.commands(line);
        assertEquals(Optional.empty(), SystemdCommandLine.problem(line), line);
        for (var command : commands) {
            Optional<SystemdUnitCheck.Refusal> problem = check.problem(command);
            if (problem.isPresent()) {
                assertTrue(problem.get().message().startsWith("'" + problem.get().word() + "': "), problem.get()
                        .toString());
                return problem.map(SystemdUnitCheck.Refusal::message);
            }
        }
        return Optional.empty();
    }

    @Test
    void aKubeletFlagOfTheRelease_isAccepted_andSoAreVariablesAndValues() {
        assertEquals(Optional.empty(), check(V1_32, "/usr/local/bin/kubelet --config=/var/lib/kubelet/kubelet-config"
                + ".yaml --kubeconfig /var/lib/kubelet/kubeconfig --node-ip=${NODE_IP} -v=2 $KUBELET_EXTRA_ARGS"));
        // a flag whose name only systemd's substitution gives is not known before the host runs it
        assertEquals(Optional.empty(), check(V1_32, "/usr/local/bin/kubelet --${FLAG}=1"));
    }

    @Test
    void aFlagRemovedUpstream_isRefusedWithTheReleaseThatDroppedIt() {
        // Kubernetes the Hard Way's kubelet.service of the dockershim years
        assertEquals(Optional.of("'--network-plugin=cni': kubelet 1.32 would not start: it has no flag "
                        + "--network-plugin (removed in Kubernetes 1.24; dockershim removal (KEP-2221))"),
                check(V1_32, "/usr/local/bin/kubelet --config=/x --network-plugin=cni --register-node=true"));
        // still there in 1.32, gone in 1.35
        assertEquals(Optional.empty(), check(V1_32, "/usr/local/bin/kubelet --pod-infra-container-image=pause"));
        assertTrue(check(V1_35, "/usr/local/bin/kubelet --pod-infra-container-image=pause").orElseThrow()
                .contains("kubelet 1.35 would not start: it has no flag --pod-infra-container-image (removed in "
                        + "Kubernetes 1.35"));
    }

    @Test
    void theOlderTutorialsFlags_areNamedAsRemoved_notMistakenForANeighbour() {
        // without their removal on record, the nearest name would be offered: --secure-port, --lock-file
        assertTrue(check(V1_32, "/usr/local/bin/kube-apiserver --insecure-port=0").orElseThrow()
                .endsWith("has no flag --insecure-port (removed in Kubernetes 1.24; insecure serving removed, inert "
                        + "since 1.20 (kubernetes#106859))"));
        assertTrue(check(V1_32, "/usr/local/bin/kubelet --log-file=/var/log/kubelet.log").orElseThrow()
                .contains("has no flag --log-file (removed in Kubernetes 1.26; a klog flag; only -v and --vmodule"));
        assertTrue(check(V1_32, "/usr/local/bin/kube-proxy --logtostderr=true").orElseThrow()
                .contains("(removed in Kubernetes 1.26"));
        assertTrue(check(V1_32, "/usr/local/bin/kube-scheduler --port=0").orElseThrow()
                .contains("(removed in Kubernetes 1.24"));
        assertEquals(Optional.empty(), check(V1_32, "/usr/local/bin/kubelet --cloud-config=/etc/cloud.conf"));
        assertTrue(check(new DaemonCommandCheck(new Version(1, 34, 1)), "/usr/local/bin/kubelet --cloud-config=/x")
                .orElseThrow().contains("(removed in Kubernetes 1.34"));
    }

    @Test
    void aMisspelledFlag_isRefusedNamingTheOneMeant() {
        assertEquals(Optional.of("'--kubconfig=/var/lib/kubelet/kubeconfig': kubelet 1.32 would not start: it has no "
                + "flag --kubconfig; did you mean --kubeconfig?"),
                check(V1_32, "/usr/local/bin/kubelet --kubconfig=/var/lib/kubelet/kubeconfig"));
        assertTrue(check(V1_32, "/opt/k8s/kube-apiserver --etcd-server=https://127.0.0.1:2379").orElseThrow()
                .contains("kube-apiserver 1.32 would not start: it has no flag --etcd-server; did you mean "
                        + "--etcd-servers?"));
    }

    @Test
    void underscoresForDashes_areTheSameFlag_asTheComponentsNormaliseThem() {
        assertEquals(Optional.empty(), check(V1_32, "/usr/local/bin/kubelet --node_ip=10.0.0.5 --config=/x"));
        assertEquals(Optional.empty(), check(V1_32, "/usr/local/bin/kube-apiserver --allow_privileged=true"));
        assertTrue(check(V1_32, "/usr/local/bin/kubelet --network_plugin=cni").orElseThrow()
                .contains("has no flag --network-plugin (removed in Kubernetes 1.24"));
    }

    @Test
    void kubeProxyWithItsConfigFile_refusesTheFlagsItThenIgnores() {
        assertTrue(check(V1_32, "/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/kube-proxy-config.yaml "
                + "--config-sync-period=1m").orElseThrow().contains("kube-proxy 1.32 ignores --config-sync-period "
                + "when it reads a configuration file, and this command gives it --config"));
        assertEquals(Optional.empty(), check(V1_32, "/usr/local/bin/kube-proxy --config-sync-period=1m"));
    }

    @Test
    void aBracelessVariableInsideAWord_givenToADaemon_isRefused_asAWordOfItsOwnItIsSubstituted() {
        assertEquals(Optional.of("'--node-ip=$NODE_IP': systemd replaces $NODE_IP only as a word of its own; inside a "
                + "word it passes it on as written, so kubelet would be given '$NODE_IP' itself. Write ${NODE_IP}, or "
                + "$$NODE_IP for the text itself"),
                check(V1_32, "/usr/local/bin/kubelet --node-ip=$NODE_IP"));
        assertTrue(check(V1_32, "/usr/local/bin/etcd --name=$NAME").orElseThrow().contains("etcd would be given"));
        assertEquals(Optional.empty(), check(V1_32, "/usr/local/bin/kubelet $KUBELET_ARGS --node-ip=${NODE_IP} "
                + "--node-labels=price=$$5"));
        // the : prefix passes every $ on as written, on purpose
        assertEquals(Optional.empty(), check(V1_32, ":/usr/local/bin/etcd --name=$NAME"));
    }

    @Test
    void programsThatAreNoDaemonOfHardways_areNotHeldToIt() {
        // the $ is the shell's, and its words are the script's
        assertEquals(Optional.empty(), check(V1_32, "/bin/sh -c 'exec /usr/local/bin/kubelet --node-ip=$NODE_IP "
                + "--network-plugin=cni'"));
        assertEquals(Optional.empty(), check(V1_32, "/usr/bin/printf --node-ip=$NODE_IP"));
    }

    @Test
    void everyCommandOfALine_isChecked_andArgv0IsNoFlag() {
        assertTrue(check(V1_32, "/usr/bin/true ; /usr/local/bin/kubelet --network-plugin=cni").isPresent());
        assertEquals(Optional.empty(), check(V1_32, "@/usr/local/bin/kubelet --kubelet-name --config=/x"));
    }
}
