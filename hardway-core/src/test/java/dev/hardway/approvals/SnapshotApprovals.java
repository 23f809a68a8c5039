package dev.hardway.approvals;

import org.approvaltests.Approvals;
import org.approvaltests.core.Options;
import org.approvaltests.namer.ApprovalNamer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Approves a golden snapshot one file per artifact: the approved file sits at the artifact's own path under
 * {@code src/test/approved/<sample>/}, so a template change reads in a PR like the change on the host.
 * {@code APPROVAL_TESTS_USE_REPORTER=AutoApproveReporter mvn test} re-approves everything; review with git diff.
 */
public final class SnapshotApprovals {
    private SnapshotApprovals() {
    }

    public static Path approvedRoot(String sample) {
        return Path.of("src", "test", "approved", sample).toAbsolutePath();
    }

    /** Verifies every entry, then that no approved file is left over from an artifact that is gone. */
    public static void verify(String sample, Map<String, String> snapshot) {
        Path root = approvedRoot(sample);
        List<AssertionError> failures = new ArrayList<>();
        for (Map.Entry<String, String> e : snapshot.entrySet()) {
            try {
                Approvals.verify(e.getValue(), new Options().forFile().withNamer(new PathNamer(root, e.getKey())));
            } catch (Error | RuntimeException failure) {
                failures.add(new AssertionError(e.getKey() + ": " + failure.getMessage(), failure));
            }
        }
        if (!failures.isEmpty()) {
            AssertionError all = new AssertionError(failures.size() + " artifact(s) differ from their approved "
                    + "files under " + root + ": " + failures.stream().map(Throwable::getMessage).toList());
            failures.forEach(all::addSuppressed);
            throw all;
        }
        assertEquals(new TreeSet<>(snapshot.keySet()), approvedFiles(root),
                "approved files under " + root + " must match the generated artifacts one to one");
    }

    private static TreeSet<String> approvedFiles(Path root) {
        TreeSet<String> out = new TreeSet<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace(File.separatorChar, '/'))
                    .filter(p -> !PathNamer.isReceived(p)).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Names the approved file exactly like the artifact; the received one gets {@code .received.} inserted. */
    private record PathNamer(Path root, String relative) implements ApprovalNamer {
        static boolean isReceived(String path) {
            return path.contains(".received.") || path.endsWith(".received");
        }

        @Override
        public File getApprovedFile(String extension) {
            return root.resolve(relative).toFile();
        }

        @Override
        public File getReceivedFile(String extension) {
            File received = root.resolve(relative + ".received.txt").toFile();
            received.getParentFile().mkdirs();
            return received;
        }

        @Override
        public ApprovalNamer addAdditionalInformation(String info) {
            return this;
        }

        @Override
        public String getAdditionalInformation() {
            return "";
        }

        @Override
        public String getApprovalName() {
            return relative;
        }

        @Override
        public String getSourceFilePath() {
            return root.toString();
        }
    }
}
