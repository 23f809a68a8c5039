package dev.hardway.model;


import java.util.List;
import java.util.stream.Collectors;

/** The cluster spec has one or more problems; all of them are listed, nothing was written. */
public final class InvalidSpecException extends HardwayException {
    private final String source;
    private final List<Problem> problems;

    public InvalidSpecException(String source, List<Problem> problems) {
        super(format(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    private static String format(String source, List<Problem> problems) {
        String what = source == null ? "the cluster spec" : source;
        String header = what + " has " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "; nothing was written:";
        return problems.stream().map(p -> "  " + p.describe(source))
                .collect(Collectors.joining("\n", header + "\n", ""));
    }

    /** The file the spec came from, or {@code null} for a spec built in Java. */
    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }
}
