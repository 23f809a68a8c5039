package dev.hardway.bundle;

import dev.hardway.pki.Fingerprints;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The SHA-256 and the compressed tar body of each large file content, computed once per run however many tarballs
 * hold it. Every node's tarball holds install.sh and the cluster's route table, which grows with the cluster:
 * hashed and deflated per node, packing would be quadratic in the number of nodes.
 *
 * <p>Only contents of at least {@link #LARGE} bytes are kept; a smaller one costs less to hash again than to look
 * up. A content is found by the array itself first (nodes mostly share one file's bytes), then by value. The
 * results depend only on the bytes, never on what was packed before: a cache changes how fast a tarball is
 * packed, not what it holds. Thread-safe.
 */
final class SharedContents {
    /**
     * From this size on a file's content is looked up here and, in a tarball, compressed as a gzip member of its
     * own (see {@link ReproducibleTarball}). Measured on 1000 workers: at 16 KiB only install.sh and the route
     * table qualify, which is where all the repeated work is; lower, the extra members cost bytes and save no CPU.
     */
    static final int LARGE = 16 * 1024;

    private final Map<Same, Content> byArray = new ConcurrentHashMap<>();
    private final Map<Equal, Content> byValue = new ConcurrentHashMap<>();
    private final Map<Same, String> smallDigests = new ConcurrentHashMap<>();
    private final Function<Equal, Content> computeOnce = key -> Content.of(key.bytes);

    /** What is computed once per content: its digest, and its tar body (content and padding) as a gzip member. */
    private record Content(String sha256Hex, byte[] tarBodyMember) {
        static Content of(byte[] bytes) {
            byte[] body = Arrays.copyOf(bytes, bytes.length + ReproducibleTarball.padding(bytes.length));
            return new Content(Fingerprints.sha256Hex(bytes), GzipMembers.compress(body));
        }
    }

    /** A key equal only to the same array: a record compares an array component by reference. */
    private record Same(byte[] bytes) {
    }

    /** A key equal to any array of the same bytes. */
    private static final class Equal {
        private final byte[] bytes;
        private final int hash;

        Equal(byte[] bytes) {
            CRC32 crc = new CRC32(); // an intrinsic: far cheaper than Arrays.hashCode on large arrays
            crc.update(bytes);
            this.bytes = bytes;
            this.hash = (int) crc.getValue() ^ bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Equal e && hash == e.hash && Arrays.equals(bytes, e.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    static boolean isLarge(byte[] bytes) {
        return bytes.length >= LARGE;
    }

    /**
     * {@code sha256sum}'s hex digest of {@code bytes}; callers must not change them. A small content is hashed
     * once per array: a file every node shares is one array in every bundle (see GenerationContext.renderShared).
     */
    String sha256Hex(byte[] bytes) {
        return isLarge(bytes) ? content(bytes).sha256Hex()
                : smallDigests.computeIfAbsent(new Same(bytes), same -> Fingerprints.sha256Hex(same.bytes()));
    }

    /**
     * One gzip member holding {@code bytes} and the zeros that pad them to a whole tar record: a regular file's
     * body in a tar stream. Only for {@linkplain #isLarge large} contents; the array is shared, not a copy.
     */
    byte[] tarBodyMember(byte[] bytes) {
        if (!isLarge(bytes)) {
            throw new IllegalArgumentException("a content of " + bytes.length + " bytes stays in its tar member");
        }
        return content(bytes).tarBodyMember();
    }

    private Content content(byte[] bytes) {
        Content found = byArray.get(new Same(bytes));
        if (found != null) {
            return found;
        }
        Content c = byValue.computeIfAbsent(new Equal(bytes), computeOnce);
        byArray.putIfAbsent(new Same(bytes), c);
        return c;
    }
}
