package dev.hardway.render;

import java.util.List;
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
    /** The settings that hold command lines (systemd.service(5)); ExecPaths= and ExecSearchPath= hold paths. */
    private static final java.util.Set<String> COMMAND_LINES = java.util.Set.of("ExecCondition", "ExecStartPre",
            "ExecStart", "ExecStartPost", "ExecReload", "ExecStop", "ExecStopPost");

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
    record Problem(int line, String detail) {
        /** {@code detail} after {@code "line N"}, as {@code "line N: ..."} or {@code "line N (Key=): ..."}. */
        String message() {
            return at("line " + line);
        }

        /** The message, its line named as {@code where} says (a template's line beside the rendered one). */
        String at(String where) {
            return line > 0 ? where + detail : detail;
        }
    }

    /** As {@link #check(String, Commands)} for a built-in template, the message only. */
    static Optional<String> check(String unit) {
        return check(unit, Commands.HARDWAYS_OWN).map(Problem::message);
    }

    /** What a command of an override's unit gives its program, held to what that program takes. */
    interface CommandCheck {
        CommandCheck NONE = command -> Optional.empty();

        Optional<Refusal> problem(SystemdCommandLine.Command command);
    }

    /** Why a command was refused, and the word at fault, by which the line holding it is found. */
    record Refusal(String word, String message) {
    }

    /** The first problem of {@code unit}, a service unit, or empty when systemd reads it as written. */
    static Optional<Problem> check(String unit, Commands commands) {
        return check(unit, commands, CommandCheck.NONE);
    }

    /**
     * As {@link #check(String, Commands)}; with {@link Commands#SYSTEMD_SYNTAX}, each command systemd would run
     * is then given to {@code each}.
     */
    static Optional<Problem> check(String unit, Commands commands, CommandCheck each) {
        String[] lines = unit.split("\n", -1);
        boolean inSection = false;
        // systemd refuses a service with none of these ("Service has no ExecStart=, ExecStop=, or
        // SuccessAction="), and one with several ExecStart= commands unless it is Type=oneshot
        int starts = 0;
        boolean stops = false;
        String type = "simple";
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            if (line.isEmpty() || isComment(line)) {
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
                return Optional.of(new Problem(number, " is neither a [Section] nor a Key=Value "
                        + "setting: " + line));
            }
            String key = line.substring(0, line.indexOf('=')).strip();
            Value read = value(lines, i);
            String value = read.text();
            i = read.last();
            if (key.equals("Type")) {
                type = value.strip();
            } else if ((key.equals("ExecStop") || key.equals("SuccessAction")) && !value.isBlank()) {
                stops = true;
            }
            if (!COMMAND_LINES.contains(key)) {
                continue;
            }
            // hardway's own lines are one command each; an override's as many as systemd reads in it
            int commandsHere = 1;
            if (commands == Commands.HARDWAYS_OWN) {
                Optional<String> problem = strictProblem(value);
                if (problem.isPresent()) {
                    return problem(number, problem.get());
                }
            } else {
                Optional<String> problem = SystemdCommandLine.problem(value);
                if (problem.isPresent()) {
                    return Optional.of(new Problem(number, " (" + key + "=): " + problem.get()));
                }
                List<SystemdCommandLine.Command> parsed = SystemdCommandLine.commands(value);
                commandsHere = parsed.size();
                for (var command : parsed) {
                    Optional<Refusal> refused = each.problem(command);
                    if (refused.isPresent()) {
                        // one flag a line is how long command lines are written: name the flag's own line
                        int at = lineHolding(lines, number - 1, i, refused.get().word()).orElse(number);
                        return Optional.of(new Problem(at, " (" + key + "=): " + refused.get().message()));
                    }
                }
            }
            if (key.equals("ExecStart")) {
                // an empty ExecStart= empties the list, as a drop-in does before it sets its own
                starts = value.isBlank() ? 0 : starts + commandsHere;
            }
        }
        if (starts == 0 && !stops) {
            return Optional.of(new Problem(0, "it has no ExecStart= (nor ExecStop= or SuccessAction=), so systemd "
                    + "refuses the service"));
        }
        if (starts > 1 && !type.equals("oneshot")) {
            return Optional.of(new Problem(0, "it has " + starts + " ExecStart= commands, which systemd runs only "
                    + "for Type=oneshot: it refuses this Type=" + type + " service"));
        }
        return Optional.empty();
    }

    /** A setting's value, joined over its continuation lines, and the last line it took. */
    private record Value(String text, int last) {
    }

    /** The first of {@code lines[from..to]} that holds {@code word} as written, 1-based. */
    private static java.util.OptionalInt lineHolding(String[] lines, int from, int to, String word) {
        for (int k = from; k <= to && k < lines.length; k++) {
            if (lines[k].contains(word)) {
                return java.util.OptionalInt.of(k + 1);
            }
        }
        return java.util.OptionalInt.empty();
    }

    /**
     * The value of the setting on {@code lines[first]}, read as systemd reads it: the line continues when it ends
     * in a backslash that is not itself escaped (a space after it ends the line, and systemd warns about the
     * backslash); comment lines inside a continuation are skipped, an empty one ends it; each continuation is joined
     * with a space.
     * Copied per line, not per character: kubelet's ExecStart continues over dozens.
     */
    private static Value value(String[] lines, int first) {
        String part = lines[first].stripLeading();
        part = part.substring(part.indexOf('=') + 1);
        StringBuilder value = new StringBuilder();
        int i = first;
        while (continues(part)) {
            value.append(part, 0, part.length() - 1).append(' ');
            int next = i + 1;
            while (next < lines.length && isComment(lines[next].strip())) {
                next++;
            }
            if (next == lines.length) {
                part = "";
                i = lines.length - 1;
                break;
            }
            i = next;
            part = lines[i].stripLeading();
        }
        value.append(part);
        return new Value(value.toString().strip(), i);
    }

    /** Whether {@code part} ends in an odd number of backslashes: the last one escapes the line's end. */
    private static boolean continues(String part) {
        int backslashes = 0;
        for (int i = part.length() - 1; i >= 0 && part.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** A comment line; an empty line is none: inside a continuation, it ends the value. */
    private static boolean isComment(String stripped) {
        return stripped.startsWith("#") || stripped.startsWith(";");
    }

    private static Optional<Problem> problem(int line, String message) {
        return Optional.of(new Problem(line, ": " + message));
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

    /**
     * {@code [A-Za-z][-A-Za-z0-9]*[ \t]*=.*}, where {@code .} is any character but a line terminator: systemd takes
     * the key with the blanks around it stripped, and an {@code X-} key is the author's own.
     */
    static boolean isSetting(String line) {
        int n = line.length();
        if (n < 2 || !isLetter(line.charAt(0))) {
            return false;
        }
        int i = 1;
        while (i < n && (isLetter(line.charAt(i)) || isDigit(line.charAt(i)) || line.charAt(i) == '-')) {
            i++;
        }
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
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
