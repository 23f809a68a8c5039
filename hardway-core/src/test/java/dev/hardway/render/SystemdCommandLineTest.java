package dev.hardway.render;

import dev.hardway.testing.SystemdCommandLines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command lines of a template override, read as systemd reads them ({@link SystemdCommandLines}). */
class SystemdCommandLineTest {
    @ParameterizedTest
    @MethodSource("accepted")
    void commandLineAsAnOperatorWritesIt_isAccepted(String line) {
        assertEquals(Optional.empty(), SystemdCommandLine.problem(line));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void malformedCommandLine_isRefusedSayingWhatSystemdWouldDo(String line, String expected) {
        String problem = SystemdCommandLine.problem(line).orElseThrow(() -> new AssertionError(line));
        assertTrue(problem.contains(expected), problem);
        assertTrue(problem.contains("systemd"), problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "_x", "KUBELET_EXTRA_ARGS", "a1"})
    void variableName_isWhatSystemdAccepts(String name) {
        assertTrue(SystemdCommandLine.isVariableName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1A", "A-B", "A B", "A.B", "Ä"})
    void notAVariableName_isRefused(String name) {
        assertTrue(!SystemdCommandLine.isVariableName(name));
    }

    static Stream<String> accepted() {
        return SystemdCommandLines.ACCEPTED.stream();
    }

    static Stream<Arguments> refused() {
        return Stream.concat(SystemdCommandLines.REFUSED_AT_LOAD.stream(),
                SystemdCommandLines.REFUSED_AT_EXEC.stream()).map(r -> Arguments.of(r.line(), r.says()));
    }
}
