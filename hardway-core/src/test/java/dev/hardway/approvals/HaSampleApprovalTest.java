package dev.hardway.approvals;

import dev.hardway.golden.GoldenSnapshot;
import dev.hardway.testing.TestClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** samples/ha: three controllers and three workers, every generated artifact as a reviewer reads it. */
class HaSampleApprovalTest {
    @Test
    void haSample_everyControllerAndWorkerArtifactMatchesItsApprovedFile(@TempDir Path pki) {
        SnapshotApprovals.verify("ha", dev.hardway.api.Golden.snapshot(TestClusters.renderRepeatably("ha", pki)));
    }
}
