package dev.hardway.bundle;

/** Quoting for values that go into generated shell scripts. */
public final class ShellWords {
    private ShellWords() {
    }

    /** {@code value} as one shell word: bare when it is made only of safe characters, single-quoted otherwise. */
    public static String quote(String value) {
        if (!value.isEmpty() && value.chars().allMatch(ShellWords::safe)) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** [A-Za-z0-9_./:=@%+,-]: characters no shell gives a meaning in a word (a loop: this runs per value). */
    private static boolean safe(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_./:=@%+,-".indexOf(c) >= 0;
    }
}
