package dev.hardway.controllers;

import dev.hardway.testing.TestClusters;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real programs these tests run. A missing one fails the test with what to install: a proof that silently
 * does not run proves nothing.
 */
final class Tools {
    private static final String INSTALL_HINT = "run scripts/install-test-tools.sh, which unpacks Debian 13's "
            + "etcd-server, etcd-client and kubectl into <repository>/.tools";

    private Tools() {
    }

    /** A program from Debian 13, unpacked into {@code <repository>/.tools/usr/bin}: etcd 3.5, etcdctl, kubectl. */
    static Path debian13(String name) {
        Path tool = TestClusters.repositoryRoot().resolve(".tools/usr/bin").resolve(name);
        if (!Files.isExecutable(tool)) {
            fail(tool + " is missing: " + INSTALL_HINT + " (Debian 12's own etcd is 3.4, too old to stand in)");
        }
        return tool;
    }

    /** A program of this machine, looked up on PATH: openssl, curl, shellcheck, ip. */
    static Path host(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir).resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin"}) {
            Path candidate = Path.of(dir).resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(name + " is not installed: apt-get install -y " + debianPackage);
    }

    /** Network namespaces need root; CI runs the tests as root. */
    static void requireRoot(String why) {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail(why + " needs root (ip netns add); run the tests as root, as .ci/run does");
        }
    }
}
