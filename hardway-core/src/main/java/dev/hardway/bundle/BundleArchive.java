package dev.hardway.bundle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Packs a {@link NodeBundle} and its install script as {@code <node>.tar.gz}: one top-level directory
 * {@code <node>/} holding {@code install.sh}, {@code SHA256SUMS} and {@code files/<target path>}.
 *
 * <p>{@code SHA256SUMS} lists every file under {@code files/} in {@code sha256sum} format; install.sh refuses a
 * changed, truncated or missing file, or one the manifest does not list, before it writes anything. (The manifest
 * guards against damage in transit and incomplete unpacking; it is no signature: whoever can change a file can
 * change install.sh too. It cannot carry a checksum of the bundle either, since golden verification renders
 * without private keys and must still produce the same install.sh.)
 */
public final class BundleArchive {
    public static final String MANIFEST = "SHA256SUMS";

    private BundleArchive() {
    }

    public static String fileName(NodeBundle bundle) {
        return bundle.node() + ".tar.gz";
    }

    public static byte[] pack(NodeBundle bundle, String installScript) {
        ReproducibleTarball tar = new ReproducibleTarball();
        String top = bundle.node() + "/";
        tar.file(top + "install.sh", installScript.getBytes(StandardCharsets.UTF_8), 0755);
        tar.file(top + MANIFEST, manifest(bundle).getBytes(StandardCharsets.UTF_8), 0644);
        for (HostFile f : bundle.files()) {
            tar.file(top + InstallScript.FILES_DIR + f.path(), f.content(), f.mode());
        }
        return tar.toByteArray();
    }

    /** {@code <sha256>  files/<path>} per file, sorted by path (the bundle's order), as {@code sha256sum} prints. */
    public static String manifest(NodeBundle bundle) {
        StringBuilder out = new StringBuilder();
        for (HostFile f : bundle.files()) {
            out.append(sha256(f.content())).append("  ").append(InstallScript.FILES_DIR).append(f.path()).append('\n');
        }
        return out.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
