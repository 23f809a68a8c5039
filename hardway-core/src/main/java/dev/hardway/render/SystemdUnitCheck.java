package dev.hardway.render;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a rendered unit file the way systemd does, line by line: sections, {@code Key=Value} settings with
 * backslash continuations, comments. Command lines must carry no character systemd would interpret instead of
 * passing it on ({@code $} expands variables, {@code %} specifiers, quotes and backslashes re-split words): every
 * value hardway puts there (paths, addresses, URLs, names) is free of them, so one that is not is a bug.
 */
final class SystemdUnitCheck {
    private static final Pattern SECTION = Pattern.compile("\\[[A-Za-z]+]");
    private static final Pattern SETTING = Pattern.compile("[A-Za-z][A-Za-z0-9]*=.*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern COMMAND_WORD = Pattern.compile("[-@:+!]*[A-Za-z0-9_./:,=@+\\[\\]*-]+");

    private SystemdUnitCheck() {
    }

    /** The first problem of {@code unit}, or empty when systemd reads it as written. */
    static Optional<String> check(String unit) {
        String[] lines = unit.split("\n", -1);
        boolean inSection = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (SECTION.matcher(line).matches()) {
                inSection = true;
                continue;
            }
            if (!inSection || !SETTING.matcher(line).matches()) {
                return Optional.of("line " + number + " is neither a [Section] nor a Key=Value setting: " + line);
            }
            StringBuilder value = new StringBuilder(line.substring(line.indexOf('=') + 1));
            // a continued value is checked as long as the last character read is a backslash (not the whole
            // value copied per line: kubelet's ExecStart continues over dozens)
            while (value.length() > 0 && value.charAt(value.length() - 1) == '\\' && i + 1 < lines.length) {
                value.setLength(value.length() - 1);
                value.append(' ').append(lines[++i].strip());
            }
            if (line.startsWith("Exec")) {
                for (String word : WHITESPACE.split(value.toString().trim())) {
                    if (!word.isEmpty() && !COMMAND_WORD.matcher(word).matches()) {
                        return Optional.of("line " + number + ": '" + word + "' has characters systemd would "
                                + "interpret ($, %, quotes or backslashes)");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
