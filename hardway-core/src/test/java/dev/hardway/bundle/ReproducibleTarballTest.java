package dev.hardway.bundle;

import dev.hardway.pki.Fingerprints;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tarball whose large file bodies are gzip members of their own, compressed once per content: it must hold the
 * tar stream a single-member tarball of the same entries holds, byte for byte.
 */
class ReproducibleTarballTest {
    private static final int LARGE = SharedContents.LARGE;
    private static final String LONG_DIR = "n/" + "d".repeat(120) + "/";

    /** Name to (content, mode): every case the member boundaries meet. */
    static Map<String, Entry> entries() {
        Map<String, Entry> e = new LinkedHashMap<>();
        e.put("n/install.sh", new Entry(text(LARGE + 1234, 1), 0755));         // large, padded
        e.put("n/SHA256SUMS", new Entry(text(300, 2), 0644));                  // small between two large
        e.put("n/files/a-exact", new Entry(text(LARGE, 3), 0644));             // large, a whole number of records
        e.put("n/files/b-next", new Entry(text(3 * LARGE + 7, 4), 0644));      // large right after large
        e.put("n/files/c-just-small", new Entry(text(LARGE - 1, 5), 0600));    // the largest that stays inline
        e.put("n/files/d-random", new Entry(random(LARGE + 99), 0644));        // large, incompressible
        e.put(LONG_DIR + "long-name", new Entry(text(LARGE + 5, 6), 0644));    // large behind a PAX header
        e.put("n/files/empty", new Entry(new byte[0], 0644));
        e.put("n/zz-last", new Entry(text(2 * LARGE, 7), 0755));               // large, last before end of archive
        return e;
    }

    record Entry(byte[] content, int mode) {
    }

    static byte[] text(int size, int seed) {
        StringBuilder b = new StringBuilder(size + 64);
        for (int i = 0; b.length() < size; i++) {
            b.append("10.").append(seed).append('.').append(i % 250).append(".0/24 via 10.240.0.").append(i % 97)
                    .append(" # worker-").append(i).append('\n');
        }
        return b.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        return b;
    }

    static ReproducibleTarball tarball(SharedContents shared, Map<String, Entry> entries) {
        ReproducibleTarball tar = new ReproducibleTarball(shared);
        entries.forEach((name, e) -> tar.file(name, e.content(), e.mode()));
        return tar;
    }

    /**
     * The tar stream as hardway wrote it before bodies had members of their own, one TarArchiveOutputStream for
     * every entry, uncompressed.
     */
    static byte[] singleStreamTar(Map<String, Entry> entries) throws IOException {
        SortedMap<String, Entry> all = new TreeMap<>();
        entries.forEach((name, e) -> {
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                all.putIfAbsent(name.substring(0, slash + 1), null);
            }
            all.put(name, e);
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, Entry> e : all.entrySet()) {
                boolean dir = e.getValue() == null;
                TarArchiveEntry t = new TarArchiveEntry(e.getKey());
                t.setModTime(FileTime.from(ReproducibleTarball.MTIME));
                t.setIds(0, 0);
                t.setNames("", "");
                t.setMode(dir ? 040755 : 0100000 | e.getValue().mode());
                t.setSize(dir ? 0 : e.getValue().content().length);
                tar.putArchiveEntry(t);
                if (!dir) {
                    tar.write(e.getValue().content());
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Each member's decompressed bytes, read member by member (RFC 1952: no optional header fields here). */
    static List<byte[]> members(byte[] gz) throws DataFormatException {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < gz.length) {
            assertEquals(0x1f, gz[at] & 0xff, "a member starts at " + at);
            assertEquals(0x8b, gz[at + 1] & 0xff);
            assertEquals(0, gz[at + 3], "no optional fields");
            Inflater inflater = new Inflater(true);
            inflater.setInput(gz, at + 10, gz.length - at - 10);
            ByteArrayOutputStream member = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && inflater.needsInput()) {
                    throw new AssertionError("member at " + at + " is truncated");
                }
                member.write(buf, 0, n);
            }
            at = gz.length - inflater.getRemaining() + 8; // CRC-32 and ISIZE
            inflater.end();
            out.add(member.toByteArray());
        }
        return out;
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void toByteArray_largeAndSmallFiles_decompressesToTheSingleStreamTar() throws Exception {
        byte[] gz = tarball(new SharedContents(), entries()).toByteArray();

        byte[] expected = singleStreamTar(entries());
        assertArrayEquals(expected, gunzip(gz), "java.util.zip.GZIPInputStream");
        try (GzipCompressorInputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(gz), true)) {
            assertArrayEquals(expected, in.readAllBytes(), "commons-compress, decompressConcatenated");
        }
        List<byte[]> members = members(gz);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        members.forEach(joined::writeBytes);
        assertArrayEquals(expected, joined.toByteArray(), "the members one by one");
    }

    @Test
    void toByteArray_largeFile_bodyIsAMemberOfItsOwn() throws Exception {
        byte[] gz = tarball(new SharedContents(), entries()).toByteArray();

        List<byte[]> members = members(gz);
        // 6 large files: each body a member, after a member holding the tar records before it; then the end
        assertEquals(13, members.size());
        for (Entry e : entries().values()) {
            int size = e.content().length;
            byte[] body = Arrays.copyOf(e.content(), size + ReproducibleTarball.padding(size));
            assertEquals(SharedContents.isLarge(e.content()),
                    members.stream().anyMatch(m -> Arrays.equals(m, body)), "content and padding, a member alone");
        }
        assertEquals(0, ReproducibleTarball.padding(LARGE), "a-exact is a whole number of records");
        for (byte[] m : members) {
            assertEquals(0, m.length % 512, "members split the tar stream only at record boundaries");
        }
        try (GzipCompressorInputStream first = new GzipCompressorInputStream(new ByteArrayInputStream(gz), false)) {
            assertEquals(members.get(0).length, first.readAllBytes().length,
                    "commons-compress without decompressConcatenated stops after the first member");
        }
    }

    @Test
    void toByteArray_smallFilesOnly_isOneMember() throws Exception {
        Map<String, Entry> small = new LinkedHashMap<>();
        small.put("n/a", new Entry(text(LARGE - 1, 1), 0644));
        small.put("n/b", new Entry(text(100, 2), 0600));

        byte[] gz = tarball(new SharedContents(), small).toByteArray();

        assertEquals(1, members(gz).size());
        assertArrayEquals(singleStreamTar(small), gunzip(gz));
    }

    @Test
    void toByteArray_sameEntries_sameBytesWhateverTheCacheHoldsAlready() {
        SharedContents warm = new SharedContents();
        Map<String, Entry> other = new LinkedHashMap<>(entries());
        other.put("n/files/more", new Entry(text(LARGE + 1, 9), 0644));
        tarball(warm, other).toByteArray();

        byte[] fresh = tarball(new SharedContents(), entries()).toByteArray();
        assertArrayEquals(fresh, tarball(warm, entries()).toByteArray());
        assertArrayEquals(fresh, tarball(new SharedContents(), entries()).toByteArray());
        ReproducibleTarball publicOne = new ReproducibleTarball();
        entries().forEach((name, e) -> publicOne.file(name, e.content(), e.mode()));
        assertArrayEquals(fresh, publicOne.toByteArray());
    }

    @Test
    void tarBodyMember_equalContentsInTwoArrays_compressedOnce() throws Exception {
        SharedContents shared = new SharedContents();
        byte[] a = text(LARGE + 10, 1);
        byte[] b = a.clone();

        byte[] member = shared.tarBodyMember(a);

        assertSame(member, shared.tarBodyMember(b), "found by value");
        assertSame(member, shared.tarBodyMember(a), "found by the array");
        assertNotSame(member, shared.tarBodyMember(text(LARGE + 10, 2)), "another content");
        assertArrayEquals(Arrays.copyOf(a, LARGE + 512), members(member).get(0));
        assertThrows(IllegalArgumentException.class, () -> shared.tarBodyMember(new byte[LARGE - 1]));
    }

    @Test
    void sha256Hex_largeAndSmall_isSha256sumsDigest() {
        SharedContents shared = new SharedContents();
        for (byte[] content : List.of(text(LARGE + 3, 1), text(LARGE - 3, 1), new byte[0])) {
            assertEquals(Fingerprints.sha256Hex(content), shared.sha256Hex(content));
            assertEquals(Fingerprints.sha256Hex(content), shared.sha256Hex(content.clone()), "cached");
        }
    }

    @Test
    void packer_manyBundles_givesTheBytesOfPackingEachAlone() throws Exception {
        String script = new String(text(LARGE + 700, 8), StandardCharsets.UTF_8);
        HostFile routes = HostFile.text("/etc/hardway/pod-routes", new String(text(LARGE * 3, 9),
                StandardCharsets.UTF_8), 0644, "hardway-pod-routes");
        BundleArchive.Packer packer = new BundleArchive.Packer(script);
        for (String node : List.of("worker-0", "worker-1")) {
            NodeBundle bundle = new NodeBundle(node, "worker", List.of(routes,
                    HostFile.secret("/var/lib/kubelet/kubelet.key", node.getBytes(StandardCharsets.UTF_8)),
                    HostFile.text("/etc/sysctl.d/99-kubernetes.conf", "net.ipv4.ip_forward = 1\n", 0644)),
                    Map.of(), List.of("kubelet"), List.of("/usr/local/bin/kubelet"), List.of());

            byte[] packed = packer.pack(bundle, "node " + node + "\n");

            assertArrayEquals(BundleArchive.pack(bundle, script, "node " + node + "\n"), packed);
            Map<String, byte[]> files = new LinkedHashMap<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                    new ByteArrayInputStream(packed)))) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    files.put(e.getName(), tar.readAllBytes());
                }
            }
            assertArrayEquals(script.getBytes(StandardCharsets.UTF_8), files.get(node + "/install.sh"));
            assertArrayEquals(routes.content(), files.get(node + "/files/etc/hardway/pod-routes"));
            String sums = new String(files.get(node + "/SHA256SUMS"), StandardCharsets.UTF_8);
            assertTrue(sums.contains(Fingerprints.sha256Hex(routes.content()) + "  files/etc/hardway/pod-routes\n"),
                    sums);
        }
    }
}
