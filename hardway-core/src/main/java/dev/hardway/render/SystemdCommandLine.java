package dev.hardway.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an {@code Exec*=} value the way systemd does (systemd.service(5) "Command lines"; systemd 252, Debian 12's,
 * and later), for a template override: its author writes systemd's syntax on purpose, so quotes, escapes,
 * {@code $VAR} and {@code %} specifiers are fine as long as systemd reads them as meant.
 *
 * <p>systemd splits the value into words, honouring double and single quotes (also inside a word) and C escapes;
 * a lone {@code ;} separates commands. The first word may carry the prefixes {@code -@:+!}. Each word then has its
 * {@code %} specifiers resolved at load time, and, unless the command has the {@code :} prefix, its variables at
 * exec time: a word that is {@code $NAME} becomes the variable split at whitespace, {@code ${NAME}} inside a word
 * becomes the value as is, {@code $$} a dollar; any other {@code $} is passed on (a shell the command starts may
 * expand it).
 */
final class SystemdCommandLine {
    /** systemd.unit(5) "Specifiers" of systemd 252 (Debian 12's); {@code %%} is a percent sign. */
    private static final String SPECIFIERS = "aAbBCdEfgGhHiIjJlLmMnNopPqsStTuUvVwWyY";
    /** Resolved by later systemd releases only; 252 refuses the unit. */
    private static final String LATER_SPECIFIERS = "D";
    /** Still resolved, but systemd warns on every load that they do not work as intended. */
    private static final String DEPRECATED = "crR";
    private static final String ESCAPES = "\\a \\b \\f \\n \\r \\t \\v \\\\ \\\" \\' \\s \\xHH \\ooo \\uHHHH "
            + "\\UHHHHHHHH";

    /**
     * One command of a line as systemd runs it: the program as written (its prefixes taken off) and its words,
     * unquoted and unescaped, with their specifiers and variables still in them.
     *
     * @param substitutesVariables false with the {@code :} prefix, which passes every {@code $} on as written
     */
    record Command(String program, List<String> arguments, boolean substitutesVariables) {
        Command {
            arguments = List.copyOf(arguments);
        }

        /** The program's file name: {@code kubelet} for {@code /usr/local/bin/kubelet}. */
        String programName() {
            return program.substring(program.lastIndexOf('/') + 1);
        }
    }

    private final String text;
    private final List<Command> commands = new ArrayList<>();
    private int pos;

    private SystemdCommandLine(String text) {
        this.text = text;
    }

    /** What systemd would do with {@code value} other than run it as written, or empty when nothing. */
    static Optional<String> problem(String value) {
        try {
            new SystemdCommandLine(value).readAll();
            return Optional.empty();
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The commands {@code value} holds, which systemd runs in turn; none for a line {@link #problem} refuses. */
    static List<Command> commands(String value) {
        SystemdCommandLine line = new SystemdCommandLine(value);
        try {
            line.readAll();
            return List.copyOf(line.commands);
        } catch (Refused e) {
            return List.of();
        }
    }

    private void readAll() throws Refused {
        skipBlanks();
        while (pos < text.length()) {
            if (atLone(';')) {
                // an empty command: systemd skips it
                pos++;
                skipBlanks();
                continue;
            }
            command();
        }
    }

    private void command() throws Refused {
        String first = word();
        int i = 0;
        boolean ignoreFailure = false;
        boolean argv0 = false;
        boolean noVariables = false;
        boolean privileged = false;
        int bangs = 0;
        // the prefixes as systemd reads them: each once, '+' not with '!', "!!" at most
        for (; i < first.length(); i++) {
            char c = first.charAt(i);
            if (c == '-' && !ignoreFailure) {
                ignoreFailure = true;
            } else if (c == '@' && !argv0) {
                argv0 = true;
            } else if (c == ':' && !noVariables) {
                noVariables = true;
            } else if (c == '+' && !privileged && bangs == 0) {
                privileged = true;
            } else if (c == '!' && !privileged && bangs < 2) {
                bangs++;
            } else {
                break;
            }
        }
        String program = first.substring(i);
        program(first, program);
        List<String> arguments = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                break;
            }
            if (atLone(';')) {
                pos++;
                skipBlanks();
                break;
            }
            String word;
            if (text.startsWith("\\;", pos) && (pos + 2 == text.length() || isBlank(text.charAt(pos + 2)))) {
                // a lone \; is a literal ';' argument (find -exec ... \;)
                pos += 2;
                word = ";";
            } else {
                word = word();
            }
            specifiers(word);
            if (!noVariables) {
                variables(word);
            }
            arguments.add(word);
        }
        if (argv0 && arguments.isEmpty()) {
            throw new Refused("'" + first + "': the @ prefix makes the next word the program's argv[0], and there "
                    + "is none, so systemd refuses the line ('Empty executable name or zeroeth argument')");
        }
        commands.add(new Command(program, argv0 ? arguments.subList(1, arguments.size()) : arguments, !noVariables));
    }

    private void program(String first, String path) throws Refused {
        if (path.isEmpty()) {
            throw new Refused("'" + first + "' names no program after its prefixes (-@:+!), so systemd refuses "
                    + "the line");
        }
        specifiers(path);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < ' ' || c == 0x7f || c == '"' || c == '\'' || c == '\\') {
                throw new Refused("the program '" + path + "' holds a quote, backslash or control character once "
                        + "unquoted, so systemd refuses the line ('Executable name contains special characters')");
            }
        }
        if (path.indexOf('$') >= 0) {
            throw new Refused("the program '" + path + "' holds a $: systemd substitutes no variable in the "
                    + "program's path and would look for a file of that very name; write the path out");
        }
        if (path.endsWith("/")) {
            throw new Refused("the program '" + path + "' names a directory, so systemd refuses the line");
        }
        if (!path.startsWith("/") && path.indexOf('/') >= 0) {
            throw new Refused("the program '" + path + "' is neither an absolute path nor a plain name (looked up "
                    + "in systemd's default PATH), so systemd refuses the line; each prefix -@:+! may be given once");
        }
    }

    /** The next word, unquoted and unescaped as systemd's extract_first_word(UNQUOTE|CUNESCAPE) does. */
    private String word() throws Refused {
        StringBuilder out = new StringBuilder();
        int start = pos;
        char quote = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (quote == 0 && isBlank(c)) {
                break;
            }
            if (c == '\\') {
                escape(out, start);
                continue;
            }
            pos++;
            if (quote != 0 && c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else {
                out.append(c);
            }
        }
        if (quote != 0) {
            throw new Refused("the " + (quote == '"' ? "double" : "single") + " quote in " + quoted(start)
                    + " is never closed, so systemd refuses the whole line ('Unbalanced quoting')");
        }
        return out.toString();
    }

    /** Reads the escape at {@code pos} (a backslash) into {@code out}, as systemd's cunescape_one does. */
    private void escape(StringBuilder out, int wordStart) throws Refused {
        if (pos + 1 == text.length()) {
            throw new Refused(quoted(wordStart) + " ends in a backslash that escapes nothing: systemd warns "
                    + "'Ignoring unknown escape sequences' and keeps it; write \\\\ for a backslash");
        }
        char e = text.charAt(pos + 1);
        int simple = switch (e) {
            case 'a' -> 0x07;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> 0x0b;
            case 's' -> ' ';
            case '\\', '"', '\'' -> e;
            default -> -1;
        };
        if (simple >= 0) {
            out.append((char) simple);
            pos += 2;
            return;
        }
        boolean octal = e >= '0' && e <= '7';
        int digits = octal ? 3 : e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
        int from = octal ? pos + 1 : pos + 2;
        int code = digits == 0 || from + digits > text.length() ? -1 : number(from, digits, octal ? 8 : 16);
        // an octal escape is one byte: \400 and up are unknown to systemd, as \x100 cannot be written
        if (code <= 0 || octal && code > 0377 || digits >= 4 && !isUnicharValid(code)) {
            String sequence = text.substring(pos, Math.min(text.length(), Math.max(from + digits, pos + 2)));
            throw new Refused("'" + sequence + "' in " + quoted(wordStart) + " is not an escape systemd knows ("
                    + ESCAPES + ", none of them NUL): it warns 'Ignoring unknown escape sequences' and passes the "
                    + "backslash on; write \\\\ for a backslash");
        }
        out.appendCodePoint(code);
        pos = from + digits;
    }

    private int number(int from, int digits, int radix) {
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            char c = text.charAt(i);
            int digit = c < 0x80 ? Character.digit(c, radix) : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
        }
        return value;
    }

    /** systemd's unichar_is_valid: no surrogate, non-character or code point past U+10FFFF. */
    private static boolean isUnicharValid(int c) {
        return c < 0x110000 && (c & 0xFFFFF800) != 0xD800 && !(c >= 0xFDD0 && c <= 0xFDEF)
                && (c & 0xFFFE) != 0xFFFE;
    }

    private static void specifiers(String word) throws Refused {
        // to the last character but one: a '%' that ends the word is kept as is
        for (int i = 0; i + 1 < word.length(); i++) {
            if (word.charAt(i) != '%') {
                continue;
            }
            char s = word.charAt(++i);
            // systemd resolves '%' and a letter or digit; '%' before anything else (100% done, %-10s) stays
            if (s == '%' || SPECIFIERS.indexOf(s) >= 0 || !(isAsciiLetter(s) || s >= '0' && s <= '9')) {
                continue;
            }
            if (LATER_SPECIFIERS.indexOf(s) >= 0) {
                throw new Refused("'%" + s + "' in '" + word + "' is resolved only by systemd releases after 252 "
                        + "(Debian 12's), which refuses the line ('Invalid slot'); write out what it stands for");
            }
            if (DEPRECATED.indexOf(s) >= 0) {
                throw new Refused("'%" + s + "' in '" + word + "' is a deprecated specifier: systemd warns on every "
                        + "load that it does not work as intended; write %% for a percent sign");
            }
            throw new Refused("'%" + s + "' in '" + word + "' is not a specifier systemd knows (systemd.unit(5) "
                    + "\"Specifiers\"), so it refuses the line ('Failed to resolve unit specifiers'); write %% for "
                    + "a percent sign");
        }
    }

    private static void variables(String word) throws Refused {
        if (word.startsWith("$") && (word.length() == 1 || word.charAt(1) != '{' && word.charAt(1) != '$')) {
            String name = word.substring(1);
            if (!isVariableName(name)) {
                throw new Refused("'" + word + "' is a word of its own that starts with $, which systemd replaces "
                        + "by the variable '" + name + "' split at whitespace; that is no variable name, so the "
                        + "word becomes nothing. Write ${NAME} to use a variable inside a word, or $$ for a $");
            }
            return;
        }
        for (int i = 0; i + 1 < word.length(); i++) {
            if (word.charAt(i) != '$') {
                continue;
            }
            char next = word.charAt(i + 1);
            if (next == '$') {
                i++;
                continue;
            }
            if (next != '{') {
                // systemd passes $NAME inside a word on as is
                continue;
            }
            int end = i + 2;
            while (end < word.length() && word.charAt(end) != '}' && word.charAt(end) != ':') {
                end++;
            }
            if (end == word.length()) {
                throw new Refused("the '${' in '" + word + "' is never closed with '}': systemd passes it on as is; "
                        + "close it, or write $${ for a literal ${");
            }
            if (word.charAt(end) == ':') {
                // ${NAME:-default} is a shell's syntax, not systemd's: systemd passes it on as is
                i = end;
                continue;
            }
            String name = word.substring(i + 2, end);
            if (!isVariableName(name)) {
                throw new Refused("'${" + name + "}' in '" + word + "' names no variable ('" + name + "' is not a "
                        + "variable name), so systemd substitutes an empty string; write $${" + name + "} to pass "
                        + "it on to a shell as is");
            }
            i = end;
        }
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    static boolean isVariableName(String name) {
        if (name.isEmpty() || name.charAt(0) >= '0' && name.charAt(0) <= '9') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A character of an environment variable's name, as systemd's env_name_is_valid takes them. */
    static boolean isNameChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }

    private boolean atLone(char c) {
        return text.charAt(pos) == c && (pos + 1 == text.length() || isBlank(text.charAt(pos + 1)));
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** The word that starts at {@code start}, as written, for a message. */
    private String quoted(int start) {
        int end = start;
        char quote = 0;
        while (end < text.length() && (quote != 0 || !isBlank(text.charAt(end)))) {
            char c = text.charAt(end++);
            if (c == '\\') {
                end++;
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        return "<" + text.substring(start, Math.min(end, text.length())) + ">";
    }

    /** A reason systemd would not run the command line as written. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
