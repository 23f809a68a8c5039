package dev.hardway.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the nodes' executables come from; every field is optional.
 *
 * @param arch      the nodes' architecture, {@code amd64} (default) or {@code arm64}: it picks the download URLs
 *                  each bundle lists
 * @param checksums pinned SHA-256 checksums of executables, e.g. from the upstream {@code .sha256} files;
 *                  {@code install.sh --binaries DIR} refuses a file that does not match
 */
public record BinariesSpec(
        @SpecField(description = "The nodes' architecture; it picks the download URLs each bundle lists.",
                example = "amd64", defaultValue = "amd64", format = ValueFormat.TEXT)
        String arch,
        @SpecField(description = "Pinned SHA-256 checksums of executables; install.sh --binaries refuses a file "
                + "that differs.", example = "[{name: kubelet, sha256: 0123...cdef}]", defaultValue = "[]")
        List<BinaryChecksum> checksums) {

    public BinariesSpec {
        checksums = checksums == null ? List.of() : SpecLists.copyOf("BinariesSpec", "checksums", checksums);
    }

    /** The checksums by executable name. */
    public Map<String, String> sha256() {
        Map<String, String> out = new TreeMap<>();
        checksums.forEach(c -> out.put(c.name(), c.sha256()));
        return Collections.unmodifiableMap(out);
    }

    /** One executable's pinned checksum. */
    public record BinaryChecksum(
            @SpecField(description = "The executable's file name.", example = "kubelet", required = true,
                    format = ValueFormat.TEXT)
            String name,
            @SpecField(description = "Its SHA-256, 64 lower-case hex digits.",
                    example = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", required = true,
                    format = ValueFormat.TEXT)
            String sha256) {
    }
}
