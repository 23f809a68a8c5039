package dev.hardway.bundle;

/**
 * Packs a {@link NodeBundle} and its install script as {@code <node>.tar.gz}: one top-level directory
 * {@code <node>/} holding {@code install.sh} and {@code files/<target path>}.
 */
public final class BundleArchive {
    private BundleArchive() {
    }

    public static String fileName(NodeBundle bundle) {
        return bundle.node() + ".tar.gz";
    }

    public static byte[] pack(NodeBundle bundle, String installScript) {
        ReproducibleTarball tar = new ReproducibleTarball();
        String top = bundle.node() + "/";
        tar.file(top + "install.sh", installScript.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0755);
        for (HostFile f : bundle.files()) {
            tar.file(top + InstallScript.FILES_DIR + f.path(), f.content(), f.mode());
        }
        return tar.toByteArray();
    }
}
