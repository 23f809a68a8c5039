package dev.hardway.maven;

import dev.hardway.api.GenerationListener;
import org.apache.maven.plugin.logging.Log;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Progress while hardway works: one info line as each phase starts, with its count ("render: 100 nodes"), and its
 * time at debug level ({@code -X}). Nothing below warning reaches {@code mvn -q}.
 */
final class ProgressLog implements GenerationListener {
    private static final Map<String, String> NOUNS = Map.of(
            "render", "node", "pack", "bundle", "write", "file", "golden", "file");
    /** The phases whose count says something else than its name would. */
    private static final Map<String, String> COUNTED = Map.of(
            "issue certificates", " planned (each reused unless it is new or due)");

    private final Log log;

    ProgressLog(Log log) {
        this.log = log;
    }

    @Override
    public void phaseStarted(String phase, int items) {
        log.info(capitalized(phase) + count(phase, items));
    }

    @Override
    public void phaseFinished(String phase, int items, Duration took) {
        if (log.isDebugEnabled()) {
            log.debug(capitalized(phase) + count(phase, items) + " in " + took.toMillis() + " ms");
        }
    }

    @Override
    public void notice(String message) {
        log.info(message);
    }

    /** "100 nodes" for the phases named by a verb alone, "1020 planned (...)" for the PKI; nothing for one spec. */
    private static String count(String phase, int items) {
        String noun = NOUNS.get(phase);
        if (noun != null) {
            return ": " + items + " " + noun + (items == 1 ? "" : "s");
        }
        String counted = COUNTED.get(phase);
        if (counted != null) {
            return ": " + items + counted;
        }
        return items == 1 ? "" : ": " + items;
    }

    private static String capitalized(String phase) {
        return phase.isEmpty() ? phase : phase.substring(0, 1).toUpperCase(Locale.ROOT) + phase.substring(1);
    }
}
