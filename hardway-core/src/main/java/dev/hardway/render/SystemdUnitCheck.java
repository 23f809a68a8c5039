package dev.hardway.render;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a rendered unit file the way systemd does, line by line: sections, {@code Key=Value} settings with
 * backslash continuations, comments. How command lines are read depends on whose template it is
 * ({@link Commands}).
 */
final class SystemdUnitCheck {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private SystemdUnitCheck() {
    }

    /** The sections of a service unit; systemd ignores an {@code X-} section, which is the author's own. */
    private static final java.util.Set<String> SECTIONS = java.util.Set.of("Unit", "Service", "Install");
    /** systemd refuses a service with none of these ("Service has no ExecStart=, ExecStop=, or SuccessAction="). */
    private static final java.util.Set<String> ACTIONS = java.util.Set.of("ExecStart", "ExecStop", "SuccessAction");

    /** How {@code Exec*=} command lines are held. */
    enum Commands {
        /**
         * A built-in template's: no character systemd would interpret instead of passing it on ({@code $} expands
         * variables, {@code %} specifiers, quotes and backslashes re-split words). Every value hardway puts there
         * (paths, addresses, URLs, names) is free of them, so one that is not is a bug: an unquoted value.
         */
        HARDWAYS_OWN,
        /** A template override's: systemd's own syntax, which its author means ({@link SystemdCommandLine}). */
        SYSTEMD_SYNTAX
    }

    /** A problem systemd would have with a unit; {@code line} is 0 when it concerns the whole unit. */
    record Problem(int line, String message) {
    }

    /** As {@link #check(String, Commands)} for a built-in template, the message only. */
    static Optional<String> check(String unit) {
        return check(unit, Commands.HARDWAYS_OWN).map(Problem::message);
    }

    /** The first problem of {@code unit}, a service unit, or empty when systemd reads it as written. */
    static Optional<Problem> check(String unit, Commands commands) {
        String[] lines = unit.split("\n", -1);
        boolean inSection = false;
        boolean acts = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (isSection(line)) {
                String name = line.substring(1, line.length() - 1);
                if (!SECTIONS.contains(name) && !name.startsWith("X-")) {
                    return problem(number, line + " is not a section of a service unit "
                            + "(Unit, Service, Install, or an X- section of your own, which systemd ignores)");
                }
                inSection = true;
                continue;
            }
            if (!inSection || !isSetting(line)) {
                return Optional.of(new Problem(number, "line " + number + " is neither a [Section] nor a Key=Value "
                        + "setting: " + line));
            }
            acts |= ACTIONS.contains(line.substring(0, line.indexOf('=')).strip());
            StringBuilder value = new StringBuilder(line.substring(line.indexOf('=') + 1));
            // a continued value is checked as long as the last character read is a backslash (not the whole
            // value copied per line: kubelet's ExecStart continues over dozens)
            while (value.length() > 0 && value.charAt(value.length() - 1) == '\\' && i + 1 < lines.length) {
                value.setLength(value.length() - 1);
                value.append(' ').append(lines[++i].strip());
            }
            if (line.startsWith("Exec")) {
                if (commands == Commands.HARDWAYS_OWN) {
                    Optional<String> problem = strictProblem(value.toString());
                    if (problem.isPresent()) {
                        return problem(number, problem.get());
                    }
                } else {
                    Optional<String> problem = SystemdCommandLine.problem(value.toString());
                    if (problem.isPresent()) {
                        return Optional.of(new Problem(number, "line " + number + " ("
                                + line.substring(0, line.indexOf('=')).strip() + "=): " + problem.get()));
                    }
                }
            }
        }
        if (!acts) {
            return Optional.of(new Problem(0, "it has no ExecStart= (nor ExecStop= or SuccessAction=), so systemd "
                    + "refuses the service"));
        }
        return Optional.empty();
    }

    private static Optional<Problem> problem(int line, String message) {
        return Optional.of(new Problem(line, "line " + line + ": " + message));
    }

    private static Optional<String> strictProblem(String command) {
        for (String word : WHITESPACE.split(command.trim())) {
            if (!word.isEmpty() && !isCommandWord(word)) {
                return Optional.of("'" + word + "' has characters systemd would interpret ($, %, quotes or "
                        + "backslashes)");
            }
        }
        return Optional.empty();
    }

    // The three shapes below are read with plain loops rather than regular expressions: a large cluster checks
    // thousands of units, mostly before the JIT has compiled the regex engine. SystemdUnitCheckTest holds each
    // to the expression in its comment.

    /** {@code \\[[A-Za-z][-A-Za-z0-9]*]} */
    static boolean isSection(String line) {
        int n = line.length();
        if (n < 3 || line.charAt(0) != '[' || line.charAt(n - 1) != ']' || !isLetter(line.charAt(1))) {
            return false;
        }
        for (int i = 2; i < n - 1; i++) {
            char c = line.charAt(i);
            if (!isLetter(c) && !isDigit(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z][A-Za-z0-9]*=.*}, where {@code .} is any character but a line terminator. */
    static boolean isSetting(String line) {
        int n = line.length();
        if (n < 2 || !isLetter(line.charAt(0))) {
            return false;
        }
        int i = 1;
        while (i < n && (isLetter(line.charAt(i)) || isDigit(line.charAt(i)))) {
            i++;
        }
        if (i == n || line.charAt(i) != '=') {
            return false;
        }
        for (i++; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    /** {@code [-@:+!]*[A-Za-z0-9_./:,=@+\\[\\]*-]+}: prefix characters, then at least one word character. */
    static boolean isCommandWord(String word) {
        int n = word.length();
        int i = 0;
        while (i < n && "-@:+!".indexOf(word.charAt(i)) >= 0) {
            i++;
        }
        if (i == n) {
            // all prefix characters: the last one must be able to serve as the word (all but '!' can)
            return n > 0 && word.charAt(n - 1) != '!';
        }
        for (; i < n; i++) {
            if (!isWordCharacter(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWordCharacter(char c) {
        return isLetter(c) || isDigit(c) || "_./:,=@+[]*-".indexOf(c) >= 0;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
