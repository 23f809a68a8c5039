package dev.hardway.controllers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A generated unit's {@code ExecStart=} command line, read back the way systemd joins continued lines. */
record SystemdUnit(Path file, List<String> execStart) {

    static SystemdUnit read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> starts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("ExecStart=")) {
                continue;
            }
            StringBuilder command = new StringBuilder(lines.get(i).substring("ExecStart=".length()));
            while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
                command.setLength(command.length() - 1);
                command.append(' ').append(lines.get(++i));
            }
            starts.add(command.toString());
        }
        assertEquals(1, starts.size(), file + " must have exactly one ExecStart=");
        List<String> argv = Arrays.stream(starts.get(0).trim().split("\\s+")).toList();
        return new SystemdUnit(file, argv);
    }

    String binary() {
        return execStart.get(0);
    }

    /** Every {@code --name=value} argument, in order; each flag appears once. */
    Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : execStart.subList(1, execStart.size())) {
            assertTrue(arg.startsWith("--") && arg.contains("="), file + ": '" + arg + "' is not --name=value");
            String name = arg.substring(2, arg.indexOf('='));
            assertTrue(flags.put(name, arg.substring(arg.indexOf('=') + 1)) == null, file + ": --" + name + " twice");
        }
        return flags;
    }

    String flag(String name) {
        String value = flags().get(name);
        assertTrue(value != null, file + " has no --" + name);
        return value;
    }

    /**
     * The arguments exactly as generated, except that every absolute path points into {@code root}: the scratch
     * directory a bundle was installed into with {@code install.sh --root}.
     */
    List<String> argumentsUnder(Path root) {
        List<String> out = new ArrayList<>();
        flags().forEach((name, value) ->
                out.add("--" + name + "=" + (value.startsWith("/") ? under(root, value) : value)));
        return out;
    }

    static String under(Path root, String absolute) {
        return root.resolve(absolute.substring(1)).toString();
    }
}
