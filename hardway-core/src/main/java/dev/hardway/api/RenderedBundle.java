package dev.hardway.api;

import dev.hardway.bundle.HostFile;
import dev.hardway.bundle.NodeBundle;

import java.util.List;
import java.util.Optional;

/**
 * Everything one host receives: its files at their target paths and the services it runs. The tarball
 * {@code <node>.tar.gz} packs these with the node's install.sh.
 */
public final class RenderedBundle {
    private final NodeBundle bundle;

    RenderedBundle(NodeBundle bundle) {
        this.bundle = bundle;
    }

    private static RenderedFile exported(HostFile f) {
        return new RenderedFile(f.path(), f.mode(), f.restarts(), RenderedFile.Kind.valueOf(f.kind().name()),
                f.content());
    }

    /** The host's name; the bundle unpacks to a directory of this name. */
    public String node() {
        return bundle.node();
    }

    /** {@code controller} or {@code worker}. */
    public String role() {
        return bundle.role();
    }

    /** Every file, sorted by path; copies, made on each call (generation itself never needs them). */
    public List<RenderedFile> files() {
        return bundle.files().stream().map(RenderedBundle::exported).toList();
    }

    /** The file at {@code path}. */
    public RenderedFile file(String path) {
        return find(path).orElseThrow(() -> new IllegalArgumentException(node() + " has no file " + path));
    }

    public Optional<RenderedFile> find(String path) {
        return bundle.files().stream().filter(f -> f.path().equals(path)).findFirst().map(RenderedBundle::exported);
    }

    /** The systemd services the host runs, in the order install.sh starts them. */
    public List<String> services() {
        return bundle.services();
    }

    /** Absolute paths of the executables those services run. */
    public List<String> binaries() {
        return bundle.binaries();
    }

    /** Whether this host's install.sh applies the cluster add-ons (RBAC, CoreDNS). */
    public boolean appliesAddons() {
        return bundle.appliesAddons();
    }

    /** The internal form, for the packers and reports of this package. */
    NodeBundle internal() {
        return bundle;
    }

    /** Equal when the node, its files (by content) and its services are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RenderedBundle b && bundle.equals(b.bundle);
    }

    @Override
    public int hashCode() {
        return bundle.hashCode();
    }

    @Override
    public String toString() {
        return "RenderedBundle[" + node() + ", " + bundle.files().size() + " files]";
    }
}
