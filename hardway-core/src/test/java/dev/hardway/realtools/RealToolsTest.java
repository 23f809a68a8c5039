package dev.hardway.realtools;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helper every real-tool test relies on: a missing tool fails loudly, a hung one is stopped. */
class RealToolsTest {

    @Test
    void tool_missingFromToolsDirAndPath_failsTellingToRunTheInstallScript() {
        AssertionError error = assertThrows(AssertionError.class, () -> RealTools.tool("hardway-no-such-tool"));

        assertTrue(error.getMessage().contains("scripts/install-test-tools.sh"), error.getMessage());
        assertTrue(error.getMessage().contains("hardway-no-such-tool"), error.getMessage());
    }

    @Test
    void command_runningPastItsTimeout_isKilledAndFailsNamingTheCommand() {
        AssertionError error = assertThrows(AssertionError.class, () -> RealTools.command("sleep", "30")
                .timeout(Duration.ofMillis(300)).run());

        assertTrue(error.getMessage().startsWith("timed out after"), error.getMessage());
        assertTrue(error.getMessage().contains("sleep 30"), error.getMessage());
    }

    @Test
    void command_failing_reportsCommandExitCodeAndOutput() {
        AssertionError error = assertThrows(AssertionError.class, () -> RealTools.command(List.of(
                RealTools.tool("sh").toString(), "-c", "echo out; echo err >&2; exit 3")).runOk());

        assertTrue(error.getMessage().contains("exit code: 3"), error.getMessage());
        assertTrue(error.getMessage().contains("out") && error.getMessage().contains("err"), error.getMessage());
    }

    @Test
    void command_withStdinAndEnvironment_passesBoth() {
        RealTools.Result result = RealTools.command(List.of(RealTools.tool("sh").toString(), "-c",
                "printf '%s:' \"$HW_TEST\"; cat")).env("HW_TEST", "env").stdin("input".getBytes(StandardCharsets.UTF_8)).runOk();

        assertEquals("env:input", result.stdout());
    }
}
