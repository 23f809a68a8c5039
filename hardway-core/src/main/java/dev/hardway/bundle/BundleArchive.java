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
 *
 * <p>The {@code .tar.gz} is standard gzip of several members (RFC 1952 §2.2; see {@link ReproducibleTarball}):
 * install.sh and the route table, the same in every bundle, are compressed once per run, and each bundle copies
 * those members. Every gunzip and tar reads it as one stream; commons-compress readers must pass
 * {@code decompressConcatenated} ({@code new GzipCompressorInputStream(in, true)}), or stop after the first member.
 * Java's {@code GZIPInputStream} reads every member from a file or an array; from a pipe or a socket, JDKs without
 * the fix of JDK-7036144 may stop at a member boundary when {@code available()} says 0.
 */
public final class BundleArchive {
    public static final String MANIFEST = "SHA256SUMS";

    private BundleArchive() {
    }

    public static String fileName(NodeBundle bundle) {
        return bundle.node() + ".tar.gz";
    }

    /** Packs one bundle; for many, a {@link Packer} shares the work their files have in common. */
    public static byte[] pack(NodeBundle bundle, String installScript, String installManifest) {
        return new Packer(installScript).pack(bundle, installManifest);
    }

    /**
     * Packs the bundles of one run: install.sh is encoded once, and each large file content (install.sh, the
     * route table) is hashed and compressed once however many bundles hold it. Gives the bytes
     * {@link BundleArchive#pack} gives. Thread-safe.
     */
    public static final class Packer {
        private final byte[] installScript;
        private final SharedContents shared = new SharedContents();

        public Packer(String installScript) {
            this.installScript = installScript.getBytes(StandardCharsets.UTF_8);
        }

        public byte[] pack(NodeBundle bundle, String installManifest) {
            ReproducibleTarball tar = new ReproducibleTarball(shared);
            String top = bundle.node() + "/";
            byte[] manifest = installManifest.getBytes(StandardCharsets.UTF_8);
            tar.fileSharingBytes(top + "install.sh", installScript, 0755);
            tar.fileSharingBytes(top + InstallScript.MANIFEST, manifest, 0644);
            tar.fileSharingBytes(top + MANIFEST, checksums(bundle, manifest, shared).getBytes(StandardCharsets.UTF_8),
                    0644);
            for (HostFile f : bundle.files()) {
                tar.fileSharingBytes(top + InstallScript.FILES_DIR + f.path(), f.sharedBytes(), f.mode());
            }
            return tar.toByteArray();
        }
    }

    /**
     * {@code <sha256>  <name>} for {@code install.manifest}, then per file under {@code files/} sorted by path
     * (the bundle's order), as {@code sha256sum} prints.
     */
    static String checksums(NodeBundle bundle, byte[] installManifest, SharedContents shared) {
        StringBuilder out = new StringBuilder();
        out.append(Fingerprints.sha256Hex(installManifest)).append("  ").append(InstallScript.MANIFEST).append('\n');
        for (HostFile f : bundle.files()) {
            out.append(shared.sha256Hex(f.sharedBytes())).append("  ").append(InstallScript.FILES_DIR)
                    .append(f.path()).append('\n');
        }
        return out.toString();
    }
}
