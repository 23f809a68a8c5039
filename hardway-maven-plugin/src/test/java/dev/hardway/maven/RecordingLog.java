package dev.hardway.maven;

import org.apache.maven.plugin.logging.Log;

import java.util.ArrayList;
import java.util.List;

/**
 * A Maven {@link Log} that keeps every line as {@code [level] message}, from a threshold up, as Maven's logger
 * does: {@link Level#DEBUG} is {@code mvn -X}, {@link Level#INFO} the default, {@link Level#ERROR} {@code mvn -q}.
 */
final class RecordingLog implements Log {
    enum Level { DEBUG, INFO, WARNING, ERROR }

    final List<String> lines = new ArrayList<>();
    private final Level threshold;

    RecordingLog() {
        this(Level.DEBUG);
    }

    RecordingLog(Level threshold) {
        this.threshold = threshold;
    }

    String text() {
        return String.join("\n", lines);
    }

    private void add(Level level, CharSequence content, Throwable error) {
        if (level.compareTo(threshold) >= 0) {
            lines.add("[" + level + "] " + (content == null ? "" : content) + (error == null ? "" : " " + error));
        }
    }

    private boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    @Override public boolean isDebugEnabled() { return enabled(Level.DEBUG); }
    @Override public void debug(CharSequence c) { add(Level.DEBUG, c, null); }
    @Override public void debug(CharSequence c, Throwable e) { add(Level.DEBUG, c, e); }
    @Override public void debug(Throwable e) { add(Level.DEBUG, null, e); }
    @Override public boolean isInfoEnabled() { return enabled(Level.INFO); }
    @Override public void info(CharSequence c) { add(Level.INFO, c, null); }
    @Override public void info(CharSequence c, Throwable e) { add(Level.INFO, c, e); }
    @Override public void info(Throwable e) { add(Level.INFO, null, e); }
    @Override public boolean isWarnEnabled() { return enabled(Level.WARNING); }
    @Override public void warn(CharSequence c) { add(Level.WARNING, c, null); }
    @Override public void warn(CharSequence c, Throwable e) { add(Level.WARNING, c, e); }
    @Override public void warn(Throwable e) { add(Level.WARNING, null, e); }
    @Override public boolean isErrorEnabled() { return enabled(Level.ERROR); }
    @Override public void error(CharSequence c) { add(Level.ERROR, c, null); }
    @Override public void error(CharSequence c, Throwable e) { add(Level.ERROR, c, e); }
    @Override public void error(Throwable e) { add(Level.ERROR, null, e); }
}
