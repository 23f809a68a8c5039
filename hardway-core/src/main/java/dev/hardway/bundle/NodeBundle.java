package dev.hardway.bundle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything one host receives: its files, the directories that need a mode other than 0755, the services it
 * runs (in start order) and the programs those services need.
 *
 * @param node           host name; the bundle unpacks to a directory of this name
 * @param role           {@code controller} or {@code worker}
 * @param files          files at their target paths, sorted by path
 * @param directoryModes directories that must have a specific mode (e.g. etcd's data directory, 0700)
 * @param services       systemd services, in the order they are started
 * @param binaries       absolute paths of the executables the units run
 * @param hostTools      commands looked up on PATH that the components call (socat, conntrack, ...)
 * @param addons         how install.sh applies the cluster add-ons, or {@code null} on nodes that apply none
 */
public record NodeBundle(String node, String role, List<HostFile> files, Map<String, Integer> directoryModes,
                         List<String> services, List<String> binaries, List<String> hostTools, AddonApply addons) {

    public NodeBundle {
        files = files.stream().sorted(Comparator.comparing(HostFile::path)).toList();
        directoryModes = new TreeMap<>(directoryModes);
        services = List.copyOf(services);
        binaries = List.copyOf(binaries);
        hostTools = List.copyOf(hostTools);
        long distinct = files.stream().map(HostFile::path).distinct().count();
        if (distinct != files.size()) {
            throw new IllegalArgumentException("bundle " + node + " has two files at one path");
        }
        if (addons != null) {
            // install.sh applies these from the host: they must be files this bundle installs
            Set<String> paths = files.stream().map(HostFile::path).collect(Collectors.toSet());
            List<String> needed = new ArrayList<>(addons.manifests());
            needed.add(addons.kubeconfig());
            needed.stream().filter(p -> !paths.contains(p)).findFirst().ifPresent(p -> {
                throw new IllegalArgumentException("bundle " + node + " applies add-ons with " + p + ", which it "
                        + "does not install");
            });
        }
    }

    /** A bundle that applies no cluster add-ons. */
    public NodeBundle(String node, String role, List<HostFile> files, Map<String, Integer> directoryModes,
                      List<String> services, List<String> binaries, List<String> hostTools) {
        this(node, role, files, directoryModes, services, binaries, hostTools, null);
    }

    public boolean appliesAddons() {
        return addons != null;
    }

    public HostFile file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(node + " has no file " + path));
    }
}
