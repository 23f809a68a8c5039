package dev.hardway.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the real programs the tests run against generated bundles: {@code <repo>/.tools/usr/bin} (Debian 13's
 * kubectl, etcd and containerd, unpacked by {@code scripts/install-test-tools.sh}), then {@code PATH}, then the
 * sbin directories a non-login shell may lack. A missing program fails the test with what to install: a proof
 * that silently does not run proves nothing.
 */
public final class ToolLookup {
    public static final String INSTALL_HINT = "run scripts/install-test-tools.sh (as root) to install the test tools";

    private ToolLookup() {
    }

    private static Path debian13Dir() {
        return TestClusters.repositoryRoot().resolve(".tools/usr/bin");
    }

    /** The executable {@code name}, or an {@link AssertionError} naming where it was looked for. */
    public static Path tool(String name) {
        List<Path> searched = new ArrayList<>();
        searched.add(debian13Dir());
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                searched.add(Path.of(dir));
            }
        }
        searched.addAll(List.of(Path.of("/usr/sbin"), Path.of("/sbin")));
        for (Path dir : searched) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("'" + name + "' not found in " + searched + ": " + INSTALL_HINT);
    }

    /**
     * A program that must come from Debian 13 ({@code .tools}), not the machine: Debian 12's own etcd is 3.4, too
     * old to stand in for the etcd Kubernetes 1.32+ ships with.
     */
    public static Path debian13(String name) {
        Path tool = debian13Dir().resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new AssertionError(tool + " is missing: " + INSTALL_HINT);
        }
        return tool;
    }

    /** Network namespaces and mounts need root; the tests say so instead of failing obscurely. */
    public static void requireRoot(String why) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError(why + " needs root (ip netns add, mounts); run the tests as root, as .ci/run "
                    + "does");
        }
    }
}
