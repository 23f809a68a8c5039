package dev.hardway.realtools;

import dev.hardway.api.RenderedBundle;
import dev.hardway.api.RenderedFile;
import dev.hardway.bundle.ReproducibleTarball;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tarballs of several gzip members (large file bodies are members of their own) read by the real readers: GNU
 * gzip and tar, Python's tarfile, Java's GZIPInputStream and commons-compress. Each must see every entry with its
 * mode, owner, mtime and bytes. One tarball is a node bundle generated through the public API, the other holds
 * the cases a generated one rarely meets (a PAX header before a large body, a large last entry).
 */
class TarballReadersTest {
    @TempDir
    static Path dir;
    static GeneratedCluster cluster;

    /** A tarball and what it holds: regular files by entry name, and every directory entry. */
    record Expected(Path tarball, Map<String, TarEntry> files, Set<String> directories) {
    }

    record TarEntry(int mode, byte[] content) {
        String sha256() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeAll
    static void generate() {
        cluster = GeneratedCluster.minimal(dir.resolve("cluster"));
    }

    static Expected generatedBundle() {
        RenderedBundle bundle = cluster.result().rendered().bundle("worker-0");
        Map<String, TarEntry> files = new TreeMap<>();
        files.put("worker-0/install.sh", new TarEntry(0755, cluster.result().rendered().installScripts()
                .get("worker-0").getBytes(StandardCharsets.UTF_8)));
        files.put("worker-0/install.manifest", new TarEntry(0644, cluster.result().rendered().installManifests()
                .get("worker-0").getBytes(StandardCharsets.UTF_8)));
        for (RenderedFile f : bundle.files()) {
            files.put("worker-0/files" + f.path(), new TarEntry(f.mode(), f.content()));
        }
        // SHA256SUMS is checked by install.sh itself (InstallScriptRootTest); here only that it is there
        files.put("worker-0/SHA256SUMS", null);
        return new Expected(cluster.tarball("worker-0"), files, directoriesOf(files.keySet()));
    }

    static Expected edgeCases() throws IOException {
        Map<String, TarEntry> files = new TreeMap<>();
        files.put("edge/a-small", new TarEntry(0644, "small\n".getBytes(StandardCharsets.UTF_8)));
        files.put("edge/b-large", new TarEntry(0755, text(100_000)));
        files.put("edge/" + "d".repeat(110) + "/large-behind-pax", new TarEntry(0600, text(70_000)));
        byte[] noise = new byte[65_536];
        new Random(7).nextBytes(noise);
        files.put("edge/c-large-random-whole-records", new TarEntry(0644, noise));
        files.put("edge/z-large-last", new TarEntry(0644, text(64 * 1024 + 1)));
        ReproducibleTarball tar = new ReproducibleTarball();
        files.forEach((name, e) -> tar.file(name, e.content(), e.mode()));
        Path out = Files.write(dir.resolve("edge.tar.gz"), tar.toByteArray());
        return new Expected(out, files, directoriesOf(files.keySet()));
    }

    private static byte[] text(int size) {
        StringBuilder b = new StringBuilder(size + 64);
        for (int i = 0; b.length() < size; i++) {
            b.append("10.200.").append(i % 250).append(".0/24 via 10.240.0.").append(i % 97).append('\n');
        }
        return b.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> directoriesOf(Set<String> names) {
        Set<String> dirs = new java.util.TreeSet<>();
        for (String name : names) {
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                dirs.add(name.substring(0, slash + 1));
            }
        }
        return dirs;
    }

    static List<Expected> tarballs() throws IOException {
        return List.of(generatedBundle(), edgeCases());
    }

    @Test
    void tarballs_areSeveralGzipMembers() throws IOException {
        for (Expected t : tarballs()) {
            byte[] gz = Files.readAllBytes(t.tarball());
            long first;
            long all;
            try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(gz), false)) {
                first = in.readAllBytes().length;
            }
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                all = in.readAllBytes().length;
            }
            assertTrue(first < all, t.tarball() + ": the first member holds " + first + " of " + all + " bytes");
        }
    }

    @Test
    void gzip_testsAndDecompressesEveryMember() throws IOException {
        for (Expected t : tarballs()) {
            RealTools.command("gzip", "-t", t.tarball().toString()).runOk();
            Path tar = dir.resolve(t.tarball().getFileName() + ".gunzipped");
            RealTools.command("sh", "-c", "gzip -dc \"$1\" > \"$2\"", "sh", t.tarball().toString(), tar.toString())
                    .runOk();
            try (InputStream in = new GZIPInputStream(Files.newInputStream(t.tarball()))) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(tar), "gzip -dc and GZIPInputStream agree");
            }
        }
    }

    @Test
    void gnuTar_listsAndExtractsEveryEntry() throws IOException {
        for (Expected t : tarballs()) {
            String listing = RealTools.command("tar", "--numeric-owner", "-tzvf", t.tarball().toString()).runOk()
                    .stdout();
            Map<String, String> lines = new LinkedHashMap<>();
            listing.lines().forEach(l -> lines.put(l.substring(l.lastIndexOf(' ') + 1), l));
            assertEquals(t.files().size() + t.directories().size(), lines.size(), listing);
            for (String d : t.directories()) {
                assertTrue(lines.get(d).matches("drwxr-xr-x 0/0 +0 1980-01-01 00:00 .*"), lines.get(d));
            }
            t.files().forEach((name, e) -> {
                if (e != null) {
                    assertTrue(lines.get(name).matches(modeString(e.mode()) + " 0/0 +" + e.content().length
                            + " 1980-01-01 00:00 .*"), lines.get(name));
                }
            });

            Path into = Files.createDirectories(dir.resolve(t.tarball().getFileName() + ".extracted"));
            RealTools.command("tar", "-xzf", t.tarball().toString(), "-C", into.toString()).runOk();
            for (Map.Entry<String, TarEntry> e : t.files().entrySet()) {
                Path file = into.resolve(e.getKey());
                assertTrue(Files.isRegularFile(file), file.toString());
                if (e.getValue() != null) {
                    assertArrayEquals(e.getValue().content(), Files.readAllBytes(file), e.getKey());
                    assertEquals(modeString(e.getValue().mode()).substring(1),
                            java.nio.file.attribute.PosixFilePermissions.toString(permissions(file)), e.getKey());
                }
            }
        }
    }

    @Test
    void pythonTarfile_readsEveryEntry() throws IOException {
        String script = String.join("\n",
                "import hashlib, sys, tarfile",
                "with tarfile.open(sys.argv[1], 'r:gz') as t:",
                "    for m in t.getmembers():",
                "        data = t.extractfile(m).read() if m.isfile() else b''",
                "        print(m.name + ('/' if m.isdir() else ''), oct(m.mode & 0o7777), m.uid, m.gid, m.mtime, len(data),",
                "              hashlib.sha256(data).hexdigest())");
        for (Expected t : tarballs()) {
            String out = RealTools.command("python3", "-c", script, t.tarball().toString()).runOk().stdout();
            Map<String, String> lines = new LinkedHashMap<>();
            out.lines().forEach(l -> lines.put(l.substring(0, l.indexOf(' ')), l));
            assertEquals(t.files().size() + t.directories().size(), lines.size(), out);
            long mtime = ReproducibleTarball.MTIME.getEpochSecond();
            for (String d : t.directories()) {
                assertTrue(lines.get(d).startsWith(d + " 0o755 0 0 " + mtime + " 0 "), lines.get(d));
            }
            t.files().forEach((name, e) -> {
                if (e != null) {
                    assertEquals(name + " 0o" + Integer.toOctalString(e.mode()) + " 0 0 " + mtime + " "
                            + e.content().length + " " + e.sha256(), lines.get(name));
                }
            });
        }
    }

    @Test
    void javaReaders_readEveryEntry() throws IOException {
        for (Expected t : tarballs()) {
            for (boolean commons : List.of(false, true)) {
                Map<String, byte[]> read = new TreeMap<>();
                try (InputStream gz = commons
                        ? new GzipCompressorInputStream(Files.newInputStream(t.tarball()), true)
                        : new GZIPInputStream(Files.newInputStream(t.tarball()));
                     TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
                    for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                        read.put(e.getName(), e.isDirectory() ? null : tar.readAllBytes());
                    }
                }
                assertEquals(t.files().size() + t.directories().size(), read.size(), read.keySet().toString());
                t.files().forEach((name, e) -> {
                    if (e != null) {
                        assertArrayEquals(e.content(), read.get(name), name);
                    }
                });
            }
        }
    }

    private static String modeString(int mode) {
        StringBuilder s = new StringBuilder("-");
        String rwx = "rwx";
        for (int bit = 8; bit >= 0; bit--) {
            s.append((mode & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
        }
        return s.toString();
    }

    private static Set<PosixFilePermission> permissions(Path file) throws IOException {
        return Files.getPosixFilePermissions(file);
    }
}
