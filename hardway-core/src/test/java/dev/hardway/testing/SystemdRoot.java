package dev.hardway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A scratch root that {@code systemd-analyze verify --root} can resolve the generated units' dependencies in. */
public final class SystemdRoot {
    private SystemdRoot() {
    }

    /**
     * Copies the machine's stock units (targets, sockets) and their relative links (aliases, .wants) into
     * {@code root}, once. Links to absolute targets are masks pointing at /dev/null: left out, since inside the
     * root they would not resolve anyway.
     */
    public static void copyStockUnits(Path root) throws IOException {
        Path stock = Files.isDirectory(Path.of("/usr/lib/systemd/system")) ? Path.of("/usr/lib/systemd/system")
                : Path.of("/lib/systemd/system");
        Path target = root.resolve("usr/lib/systemd/system");
        if (Files.isDirectory(target)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(stock)) {
            for (Path p : walk.toList()) {
                Path copy = target.resolve(stock.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Path link = Files.readSymbolicLink(p);
                    if (!link.isAbsolute()) {
                        Files.createSymbolicLink(copy, link);
                    }
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy);
                }
            }
        }
    }
}
