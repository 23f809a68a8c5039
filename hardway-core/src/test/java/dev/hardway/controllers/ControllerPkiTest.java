package dev.hardway.controllers;

import dev.hardway.api.GenerationRequest;
import dev.hardway.api.GenerationResult;
import dev.hardway.api.Hardway;
import dev.hardway.model.PkiChange;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controllers' CAs, certificates, keys and secrets persist and are reused exactly as the workers' are. */
class ControllerPkiTest {

    @Test
    void haSample_rerunWithSameSpec_reusesEveryCaCertificateKeyAndSecretAndRewritesNoTarball(@TempDir Path dir) {
        GenerationResult first = generate(TestClusters.sample("ha"), dir);
        Map<String, PkiChange.Action> created = actions(first);
        for (String id : List.of("ca", "etcd-ca", "front-proxy-ca", "apiserver", "apiserver-kubelet-client",
                "apiserver-etcd-client", "front-proxy-client", "kube-controller-manager", "kube-scheduler", "admin",
                "sa", "encryption-key", "etcd-server-controller-0", "etcd-peer-controller-2")) {
            assertEquals(PkiChange.Action.CREATED, created.get(id), id + " in " + created);
        }

        for (String shared : List.of("/etc/kubernetes/pki/sa.key", "/etc/kubernetes/pki/sa.pub",
                "/etc/kubernetes/pki/apiserver.crt", "/etc/kubernetes/encryption-config.yaml")) {
            assertEquals(1, first.rendered().bundles().stream().filter(b -> b.role().equals("controller"))
                    .map(b -> b.file(shared).text()).distinct().count(),
                    shared + " is one and the same on every controller, from the very first run");
        }

        GenerationResult second = generate(TestClusters.sample("ha"), dir);
        assertTrue(actions(second).values().stream().allMatch(a -> a == PkiChange.Action.REUSED),
                () -> "a re-run reuses everything: " + second.pkiChanges());
        assertEquals(List.of(), second.written(), "same spec and PKI give byte-identical outputs");
    }

    @Test
    void haSample_extraSanAdded_reissuesOnlyTheApiServerCertificateWithItsKey(@TempDir Path dir) throws IOException {
        Path spec = dir.resolve("cluster.yaml");
        Files.writeString(spec, Files.readString(TestClusters.sample("ha")));
        generate(spec, dir);
        String keyBefore = Files.readString(dir.resolve("pki/apiserver.key"));

        Files.writeString(spec, Files.readString(spec).replace("extraSans: [kubernetes.ha.example.com, 192.0.2.50]",
                "extraSans: [kubernetes.ha.example.com, 192.0.2.50, api.ha.example.com]"));
        GenerationResult changed = generate(spec, dir);

        Map<String, PkiChange.Action> notReused = actions(changed).entrySet().stream()
                .filter(e -> e.getValue() != PkiChange.Action.REUSED)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertEquals(Map.of("apiserver", PkiChange.Action.REISSUED), notReused, changed.pkiChanges().toString());
        assertTrue(changed.pkiChanges().stream().anyMatch(c -> c.reason().contains("+api.ha.example.com")),
                changed.pkiChanges().toString());
        assertEquals(keyBefore, Files.readString(dir.resolve("pki/apiserver.key")),
                "like kubeadm's renew, the re-issued certificate keeps its key");
    }

    private static GenerationResult generate(Path spec, Path dir) {
        return Hardway.generate(GenerationRequest.builder().specFile(spec).pkiDirectory(dir.resolve("pki"))
                .outputDirectory(dir.resolve("out")).clock(TestClusters.fixedClock()).build());
    }

    private static Map<String, PkiChange.Action> actions(GenerationResult result) {
        return result.pkiChanges().stream()
                .collect(Collectors.toMap(PkiChange::id, PkiChange::action, (a, b) -> b, TreeMap::new));
    }
}
