package dev.hardway.bundle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A file as it lands on a host.
 *
 * @param path     absolute target path, e.g. {@code /var/lib/kubelet/kubelet-config.yaml}
 * @param content  the bytes
 * @param mode     POSIX permission bits, e.g. {@code 0600} for private keys
 * @param restarts systemd services to restart when this file changes
 * @param kind     what sort of content this is, which decides how golden snapshots show it
 */
public record HostFile(String path, byte[] content, int mode, Set<String> restarts, Kind kind) {

    /** How a file appears in reviews. */
    public enum Kind {
        /** Text shown as it is. */
        TEXT,
        /** A certificate in PEM, shown as a description. */
        CERTIFICATE,
        /** A kubeconfig with embedded credentials: shown with its certificate and key data replaced. */
        KUBECONFIG,
        /** Never shown: private keys and encryption keys. */
        SECRET
    }

    public HostFile {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("target path must be absolute: " + path);
        }
        content = content.clone();
        restarts = new TreeSet<>(restarts);
    }

    public static HostFile text(String path, String content, int mode, String... restarts) {
        return new HostFile(path, content.getBytes(StandardCharsets.UTF_8), mode, Set.of(restarts), Kind.TEXT);
    }

    public static HostFile certificate(String path, String pem, String... restarts) {
        return new HostFile(path, pem.getBytes(StandardCharsets.UTF_8), 0644, Set.of(restarts), Kind.CERTIFICATE);
    }

    /** Private material: always 0600. */
    public boolean isPrivate() {
        return kind == Kind.SECRET || kind == Kind.KUBECONFIG;
    }

    public static HostFile secret(String path, byte[] content, String... restarts) {
        return new HostFile(path, content, 0600, Set.of(restarts), Kind.SECRET);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /**
     * The bytes themselves, not a copy, for packing in this package: a 1000-node bundle set is some 130 MB, and a
     * copy per read (checksum, tar entry) is some 270 MB of garbage. Callers must not change them.
     */
    byte[] sharedBytes() {
        return content;
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** Where systemd units are installed on a host. */
    public static final String UNIT_DIR = "/etc/systemd/system";

    /** The unit file of {@code service}. */
    public static String unitOf(String service) {
        return UNIT_DIR + "/" + service + ".service";
    }

    public boolean isUnit() {
        return path.startsWith(UNIT_DIR + "/");
    }

    /** Parent directories, outermost first, e.g. {@code /var, /var/lib, /var/lib/kubelet}. */
    public List<String> parents() {
        String[] parts = path.substring(1).split("/");
        List<String> out = new java.util.ArrayList<>();
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            p.append('/').append(parts[i]);
            out.add(p.toString());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostFile f && path.equals(f.path) && Arrays.equals(content, f.content) && mode == f.mode
                && restarts.equals(f.restarts) && kind == f.kind;
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "HostFile[" + path + ", " + Integer.toOctalString(mode) + ", " + kind + "]";
    }
}
