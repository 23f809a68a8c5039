package dev.hardway.bundle;

import dev.hardway.pki.Fingerprints;

import java.nio.charset.StandardCharsets;

/**
 * Packs a {@link NodeBundle} and its installer as {@code <node>.tar.gz}: one top-level directory {@code <node>/}
 * holding {@code install.sh}, {@code install.manifest}, {@code SHA256SUMS} and {@code files/<target path>}.
 *
 * <p>{@code SHA256SUMS} lists {@code install.manifest} and every file under {@code files/} in {@code sha256sum}
 * format; install.sh reads the manifest only once its checksum matches, and refuses a changed, truncated or
 * missing file, or one the manifest does not list, before it writes anything. (The manifest
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

    public static byte[] pack(NodeBundle bundle, String installScript, String installManifest) {
        ReproducibleTarball tar = new ReproducibleTarball();
        String top = bundle.node() + "/";
        byte[] manifest = installManifest.getBytes(StandardCharsets.UTF_8);
        tar.file(top + "install.sh", installScript.getBytes(StandardCharsets.UTF_8), 0755);
        tar.file(top + InstallScript.MANIFEST, manifest, 0644);
        tar.file(top + MANIFEST, checksums(bundle, manifest).getBytes(StandardCharsets.UTF_8), 0644);
        for (HostFile f : bundle.files()) {
            tar.fileSharingBytes(top + InstallScript.FILES_DIR + f.path(), f.sharedBytes(), f.mode());
        }
        return tar.toByteArray();
    }

    /**
     * {@code <sha256>  <name>} for {@code install.manifest}, then per file under {@code files/} sorted by path
     * (the bundle's order), as {@code sha256sum} prints.
     */
    static String checksums(NodeBundle bundle, byte[] installManifest) {
        StringBuilder out = new StringBuilder();
        out.append(Fingerprints.sha256Hex(installManifest)).append("  ").append(InstallScript.MANIFEST).append('\n');
        for (HostFile f : bundle.files()) {
            out.append(Fingerprints.sha256Hex(f.sharedBytes())).append("  ").append(InstallScript.FILES_DIR)
                    .append(f.path()).append('\n');
        }
        return out.toString();
    }
}
