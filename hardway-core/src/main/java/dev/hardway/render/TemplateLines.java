package dev.hardway.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the line of a template that rendered a given line of its output, for a message about that output: the
 * author edits the template, whose lines shift against the output's wherever a directive spans lines, a
 * {@code <#list>} repeats one, or an {@code <#if>} drops some. FreeMarker keeps no such map, so each template line
 * becomes a pattern: its text as written, each interpolation ({@code ${...}}, {@code [=...]}) and each tag
 * ({@code <#...>}, {@code [#...]}) standing for any text; comments ({@code <#-- ... -->}) render nothing and are
 * no candidates. Of the lines whose pattern matches, the one with the most text of its own wins: {@code ${k}=${v}}
 * matches every setting, the line that spells the setting out is the one meant. Lines that tie (the same line in
 * both branches of an {@code <#if>}) are all given, nearest first: which one rendered is not known here.
 */
final class TemplateLines {
    private TemplateLines() {
    }

    /**
     * The lines of {@code template} (1-based) that may have rendered line {@code renderedLine} of {@code rendered},
     * nearest first; empty when none does or the line is out of range.
     */
    static List<Integer> sourceOf(String template, String rendered, int renderedLine) {
        String[] out = rendered.split("\n", -1);
        if (renderedLine < 1 || renderedLine > out.length) {
            return List.of();
        }
        String target = out[renderedLine - 1];
        List<Line> lines = parse(template);
        int best = -1;
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.ownText() == 0 || line.ownText() < best || !line.pattern().matcher(target).matches()) {
                continue;
            }
            if (line.ownText() > best) {
                best = line.ownText();
                found.clear();
            }
            found.add(i + 1);
        }
        found.sort(Comparator.comparingInt((Integer n) -> Math.abs(n - renderedLine)).thenComparing(n -> n));
        return List.copyOf(found);
    }

    /** A template line as a pattern, and how many characters of its own (no blanks) it holds. */
    private record Line(Pattern pattern, int ownText) {
    }

    /** Each line of the template, read as FreeMarker reads it: strings, nesting and comments over lines. */
    private static List<Line> parse(String template) {
        List<Line> lines = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int own = 0;
        int i = 0;
        int n = template.length();
        while (i <= n) {
            if (i == n || template.charAt(i) == '\n') {
                flush(regex, literal);
                lines.add(new Line(Pattern.compile(regex.toString()), own));
                regex.setLength(0);
                own = 0;
                i++;
                continue;
            }
            int end = commentEnd(template, i);
            if (end < 0) {
                end = partEnd(template, i);
            }
            if (end < 0) {
                char c = template.charAt(i);
                literal.append(c);
                if (!Character.isWhitespace(c)) {
                    own++;
                }
                i++;
                continue;
            }
            flush(regex, literal);
            boolean comment = template.startsWith("<#--", i) || template.startsWith("[#--", i);
            // a part spanning lines: each line it takes matches anything where it is (a comment: nothing)
            for (int k = i; k < end; k++) {
                if (template.charAt(k) == '\n') {
                    // the line the part starts on keeps its own text before it; the lines it spans have none
                    lines.add(new Line(Pattern.compile(regex + (comment ? "" : ".*?")), own));
                    regex.setLength(0);
                    own = 0;
                }
            }
            if (!comment) {
                regex.append(".*?");
            }
            i = end;
        }
        return lines;
    }

    private static void flush(StringBuilder regex, StringBuilder literal) {
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }

    /** Where a FreeMarker comment starting at {@code i} ends (after its closing mark), or -1. */
    private static int commentEnd(String t, int i) {
        if (t.startsWith("<#--", i)) {
            int close = t.indexOf("-->", i + 4);
            return close < 0 ? t.length() : close + 3;
        }
        if (t.startsWith("[#--", i)) {
            int close = t.indexOf("--]", i + 4);
            return close < 0 ? t.length() : close + 3;
        }
        return -1;
    }

    /**
     * Where an interpolation or tag starting at {@code i} ends, or -1 when none starts there. Its end is the first
     * closing character outside strings and brackets: {@code ${r"${X}"}} is one interpolation, and
     * {@code <#if (a > b)>} one tag.
     */
    private static int partEnd(String t, int i) {
        char close;
        int from;
        if (t.startsWith("${", i) || t.startsWith("#{", i)) {
            close = '}';
            from = i + 2;
        } else if (t.startsWith("[=", i)) {
            close = ']';
            from = i + 2;
        } else if (t.startsWith("<#", i) || t.startsWith("</#", i) || t.startsWith("<@", i)
                || t.startsWith("</@", i)) {
            close = '>';
            from = i + 2;
        } else if (t.startsWith("[#", i) || t.startsWith("[/#", i) || t.startsWith("[@", i)
                || t.startsWith("[/@", i)) {
            close = ']';
            from = i + 2;
        } else {
            return -1;
        }
        int depth = 0;
        char quote = 0;
        boolean raw = false;
        for (int k = from; k < t.length(); k++) {
            char c = t.charAt(k);
            if (quote != 0) {
                if (c == '\\' && !raw) {
                    k++; // an escape: the next character is the string's
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                raw = t.charAt(k - 1) == 'r'; // r"..." takes backslashes as they are
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0 && c == close) {
                    return k + 1;
                }
                depth = Math.max(0, depth - 1);
            } else if (c == '>' && close == '>' && depth == 0) {
                return k + 1;
            }
        }
        return t.length();
    }
}
