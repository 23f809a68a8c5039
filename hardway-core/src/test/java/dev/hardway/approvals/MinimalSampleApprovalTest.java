package dev.hardway.approvals;

import dev.hardway.golden.GoldenSnapshot;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** samples/minimal, every generated artifact as a reviewer reads it. */
class MinimalSampleApprovalTest {
    @Test
    void minimalSample_everyArtifactMatchesItsApprovedFile(@TempDir Path pki) {
        SnapshotApprovals.verify("minimal", dev.hardway.api.Golden.snapshot(TestClusters.renderRepeatably("minimal", pki)));
    }
}
