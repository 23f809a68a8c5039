package dev.hardway.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * One file as it lands on a host.
 *
 * @param path     absolute target path, e.g. {@code /var/lib/kubelet/kubelet-config.yaml}
 * @param mode     POSIX permission bits, e.g. {@code 0600}
 * @param restarts the systemd services install.sh restarts when this file changes
 * @param kind     what sort of content it is
 * @param content  the bytes; every call returns a copy
 */
public record RenderedFile(String path, int mode, Set<String> restarts, Kind kind, byte[] content) {
    /** What sort of content a file holds, which decides how reviews show it. */
    public enum Kind {
        /** Text shown as it is. */
        TEXT,
        /** A certificate in PEM. */
        CERTIFICATE,
        /** A kubeconfig with embedded credentials. */
        KUBECONFIG,
        /** Private keys and encryption keys: never shown. */
        SECRET
    }

    public RenderedFile {
        restarts = Set.copyOf(restarts);
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** Equal when every field is, the content compared byte by byte. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RenderedFile f && path.equals(f.path) && mode == f.mode && restarts.equals(f.restarts)
                && kind == f.kind && Arrays.equals(content, f.content);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "RenderedFile[" + path + ", " + Integer.toOctalString(mode) + ", " + kind + ", " + content.length
                + " bytes]";
    }

    /** Whether it holds private material (a key, or a kubeconfig with embedded credentials). */
    public boolean secret() {
        return kind == Kind.SECRET || kind == Kind.KUBECONFIG;
    }

    /** The content as UTF-8 text. */
    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }
}
