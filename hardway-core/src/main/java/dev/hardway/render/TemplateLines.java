package dev.hardway.render;

import java.util.regex.Pattern;

/**
 * Finds the line of a template that rendered a given line of its output, for a message about that output: the
 * author edits the template, whose lines shift against the output's wherever a directive spans lines, a
 * {@code <#list>} repeats one, or an {@code <#if>} drops some. FreeMarker keeps no such map, so each template line
 * becomes a pattern: its text as written, each interpolation ({@code ${...}}, {@code [=...]}) and each tag
 * ({@code <#...>}, {@code [#...]}) standing for any text. A line that is only interpolations and tags matches
 * anything and is no candidate.
 */
final class TemplateLines {
    private static final Pattern PART = Pattern.compile(
            "\\$\\{[^}]*}|\\[=[^\\]]*]|</?[#@][^>]*>|\\[/?[#@][^\\]]*]");

    private TemplateLines() {
    }

    /**
     * The line of {@code template} (1-based) that rendered line {@code renderedLine} of {@code rendered}: the one
     * whose pattern matches it, the nearest to {@code renderedLine} if several do; {@code renderedLine} itself when
     * none does or it is out of range.
     */
    static int sourceOf(String template, String rendered, int renderedLine) {
        String[] out = rendered.split("\n", -1);
        if (renderedLine < 1 || renderedLine > out.length) {
            return renderedLine;
        }
        String target = out[renderedLine - 1];
        String[] lines = template.split("\n", -1);
        int best = 0;
        for (int i = 0; i < lines.length; i++) {
            int candidate = i + 1;
            Pattern p = pattern(lines[i]);
            if (p != null && p.matcher(target).matches()
                    && (best == 0 || Math.abs(candidate - renderedLine) < Math.abs(best - renderedLine))) {
                best = candidate;
            }
        }
        return best == 0 ? renderedLine : best;
    }

    /** The line as a pattern, or null when it holds no text of its own. */
    private static Pattern pattern(String line) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        var m = PART.matcher(line);
        int last = 0;
        while (m.find()) {
            literal.append(line, last, m.start());
            regex.append(Pattern.quote(line.substring(last, m.start()))).append(".*?");
            last = m.end();
        }
        literal.append(line.substring(last));
        regex.append(Pattern.quote(line.substring(last)));
        return literal.toString().isBlank() ? null : Pattern.compile(regex.toString());
    }
}
