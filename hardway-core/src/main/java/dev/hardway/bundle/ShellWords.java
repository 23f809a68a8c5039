package dev.hardway.bundle;

/** Quoting for values that go into generated shell scripts. */
public final class ShellWords {
    private ShellWords() {
    }

    /** {@code value} as one shell word: bare when it is made only of safe characters, single-quoted otherwise. */
    public static String quote(String value) {
        if (!value.isEmpty() && allSafe(value)) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** A plain loop, not a stream: this runs for every value of every node's manifest. */
    private static boolean allSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!safe(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** [A-Za-z0-9_./:=@%+,-]: characters no shell gives a meaning in a word. */
    private static boolean safe(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_./:=@%+,-".indexOf(c) >= 0;
    }
}
