package dev.hardway.artifacts;

import java.util.regex.Pattern;

/**
 * One {@code --name=value} argument of a systemd {@code ExecStart=} line.
 *
 * <p>Values are restricted to characters that mean nothing to systemd's command-line parsing: no whitespace,
 * quotes, backslashes, {@code $} (variable expansion) or {@code %} (specifiers). Every value hardway emits (paths,
 * addresses, URLs, names) fits; anything else is a bug caught here rather than a unit that starts with a mangled
 * argument.
 */
public record Flag(String name, String value) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_./:,=@+\\[\\]*-]+");

    public Flag {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a flag name: " + name);
        }
        if (!VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("--" + name + " value '" + value + "' has characters systemd would "
                    + "interpret");
        }
    }

    public static Flag of(String name, Object value) {
        return new Flag(name, String.valueOf(value));
    }

    /** The argument as systemd passes it: {@code --name=value}. */
    public String argument() {
        return "--" + name + "=" + value;
    }
}
