package dev.hardway.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the nodes' executables come from; every field is optional.
 *
 * @param arch   the nodes' architecture, {@code amd64} (default) or {@code arm64}: it picks the download URLs each
 *               bundle lists
 * @param sha256 pinned SHA-256 checksums by executable name ({@code kubelet}, {@code etcd}, {@code runc}, ...),
 *               e.g. from the upstream {@code .sha256} files; {@code install.sh --binaries DIR} refuses a file
 *               that does not match
 */
public record BinariesSpec(String arch, Map<String, String> sha256) {
    public BinariesSpec {
        sha256 = sha256 == null ? Map.of() : new TreeMap<>(sha256);
    }
}
