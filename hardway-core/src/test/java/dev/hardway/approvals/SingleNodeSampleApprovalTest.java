package dev.hardway.approvals;

import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** samples/single-node: one controller that is the only Node, every generated artifact as a reviewer reads it. */
class SingleNodeSampleApprovalTest {
    @Test
    void singleNodeSample_everyArtifactMatchesItsApprovedFile(@TempDir Path pki) {
        SnapshotApprovals.verify("single-node",
                dev.hardway.api.Golden.snapshot(TestClusters.renderRepeatably("single-node", pki)));
    }
}
