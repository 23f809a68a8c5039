package dev.hardway.maven;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The phase lines a generate run logs as it works, as the core names its phases. */
class ProgressLogTest {
    @Test
    void eachPhaseLine_saysWhatItsCountCounts() {
        RecordingLog log = new RecordingLog();
        ProgressLog progress = new ProgressLog(log);

        progress.phaseStarted("read spec", 1);
        progress.phaseStarted("issue certificates", 18);
        progress.phaseStarted("render", 1);
        progress.phaseStarted("pack", 3);
        progress.phaseStarted("golden", 40);

        assertEquals(List.of("[INFO] Read spec", "[INFO] Issue certificates: 18 planned (each reused unless it is new "
                + "or due)", "[INFO] Render: 1 node", "[INFO] Pack: 3 bundles", "[INFO] Golden: 40 files"), log.lines);
    }
}
