package dev.hardway.bundle;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a {@code .tar.gz} whose bytes depend only on its entries: sorted names, a fixed mtime, uid/gid 0 with
 * empty owner names, explicit modes, and gzip headers without a timestamp.
 *
 * <p>The gzip file is made of several members (RFC 1952 §2.2), which gunzip, tar, Java's {@code GZIPInputStream}
 * and Python's {@code tarfile} read as one stream: the body of each file of at least
 * {@link SharedContents#LARGE} bytes (its content and the zeros padding it to a 512-byte record) is a member of its
 * own, compressed once per content and run and copied into every tarball that holds it; the tar headers and the
 * smaller files between them are members of their own too. The tar stream the members decompress to is the one a
 * single-member {@code .tar.gz} of the same entries holds, byte for byte. (commons-compress reads past the first
 * member only with {@code new GzipCompressorInputStream(in, true)}.)
 */
public final class ReproducibleTarball {
    /** 1980-01-01: non-zero, because some tools treat an mtime of 0 as "unknown". */
    public static final Instant MTIME = Instant.parse("1980-01-01T00:00:00Z");

    private static final int RECORD = 512;

    private final SharedContents shared;
    private final SortedMap<String, Entry> entries = new TreeMap<>();

    private record Entry(byte[] content, int mode, boolean directory) {
    }

    public ReproducibleTarball() {
        this(new SharedContents());
    }

    /** A tarball taking large contents' digests and compressed bodies from {@code shared}. */
    ReproducibleTarball(SharedContents shared) {
        this.shared = shared;
    }

    /** Zeros after a {@code size}-byte body up to the next tar record. */
    static int padding(long size) {
        return (int) ((RECORD - size % RECORD) % RECORD);
    }

    /** Adds a regular file; its parent directories are added with mode 0755. */
    public ReproducibleTarball file(String name, byte[] content, int mode) {
        addParents(name);
        entries.put(name, new Entry(content.clone(), mode, false));
        return this;
    }

    /** As {@link #file}, keeping {@code content} itself: for bytes nobody changes while the tarball is built. */
    ReproducibleTarball fileSharingBytes(String name, byte[] content, int mode) {
        addParents(name);
        entries.put(name, new Entry(content, mode, false));
        return this;
    }

    private void addParents(String name) {
        int slash = name.indexOf('/');
        while (slash > 0) {
            entries.putIfAbsent(name.substring(0, slash + 1), new Entry(new byte[0], 0755, true));
            slash = name.indexOf('/', slash + 1);
        }
    }

    public byte[] toByteArray() {
        try (GzipMembers gzip = new GzipMembers(32 * 1024)) {
            TarArchiveOutputStream tar = tarStream(gzip);
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry entry = e.getValue();
                TarArchiveEntry header = header(e.getKey(), entry);
                if (!entry.directory && SharedContents.isLarge(entry.content)) {
                    // tar's buffer is empty between entries, so these land where tar would have written them
                    gzip.write(headerRecords(header));
                    gzip.member(shared.tarBodyMember(entry.content));
                    continue;
                }
                tar.putArchiveEntry(header);
                if (!entry.directory) {
                    tar.write(entry.content);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
            return gzip.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A block of one record: the archive ends with its two zero records and no padding to a larger block, so the
     * records written past this stream (a large file's header and body) change nothing it writes.
     */
    private static TarArchiveOutputStream tarStream(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, RECORD, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    private static TarArchiveEntry header(String name, Entry entry) {
        TarArchiveEntry t = new TarArchiveEntry(name);
        t.setModTime(FileTime.from(MTIME));
        t.setIds(0, 0);
        t.setNames("", "");
        t.setMode((entry.directory ? TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 : 0100000) | entry.mode);
        t.setSize(entry.directory ? 0 : entry.content.length);
        return t;
    }

    /**
     * The records tar writes before {@code header}'s body: a PAX header first where the name is too long for the
     * tar header. From a stream of its own, left unclosed: it holds nothing to free, and closing it would ask for
     * the body.
     */
    private static byte[] headerRecords(TarArchiveEntry header) throws IOException {
        ByteArrayOutputStream records = new ByteArrayOutputStream(2 * RECORD);
        tarStream(records).putArchiveEntry(header);
        return records.toByteArray();
    }
}
