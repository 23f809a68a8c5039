package dev.hardway.bundle;

/** Quoting for values that go into generated shell scripts. */
public final class ShellWords {
    private ShellWords() {
    }

    /** {@code value} as one shell word: bare when it is made only of safe characters, single-quoted otherwise. */
    public static String quote(String value) {
        if (!value.isEmpty() && value.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
