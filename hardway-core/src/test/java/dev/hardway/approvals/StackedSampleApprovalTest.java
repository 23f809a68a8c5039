package dev.hardway.approvals;

import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** samples/stacked: three controllers that are also the Nodes (kubeadm's stacked control plane, no workers), every generated artifact as a reviewer reads it. */
class StackedSampleApprovalTest {
    @Test
    void stackedSample_everyArtifactMatchesItsApprovedFile(@TempDir Path pki) {
        SnapshotApprovals.verify("stacked", dev.hardway.api.Golden.snapshot(TestClusters.renderRepeatably("stacked", pki)));
    }
}
