package dev.hardway.bundle;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip file made of members (RFC 1952 §2.2): what is written goes into the current member, and {@link #member}
 * ends it and appends a complete member compressed elsewhere, as it is. Every gunzip reads such a file as the
 * concatenation of what its members hold, so a member compressed once can end many files.
 *
 * <p>Each member has the header the JDK's {@code GZIPOutputStream} writes (no name, no timestamp, OS "unknown") and
 * is compressed at level 1: a third of level 6's CPU for 12% more bytes, and packing is most of a large cluster's
 * run. Not thread-safe; {@link #close} hands its deflater and buffers to the next instance made on this thread.
 */
final class GzipMembers extends OutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** Input is deflated in blocks this large, not in the 512-byte records tar writes: one JNI call each. */
    private static final int BLOCK = 64 * 1024;

    /**
     * Workspaces that no open instance uses, per thread: a thousand bundles would otherwise allocate 128 KB of
     * buffers and zlib's 256 KB of native state each. A stack, since a shared content is compressed while a
     * tarball's own member is open on the same thread.
     */
    private static final ThreadLocal<ArrayDeque<Workspace>> IDLE = ThreadLocal.withInitial(ArrayDeque::new);

    private final ByteArrayOutputStream out;
    private final Workspace workspace;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] input;
    private final byte[] output;
    private int buffered;
    /** Uncompressed bytes of the current member so far; -1 while no member is open. */
    private long memberSize = -1;
    private boolean closed;

    GzipMembers(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
        Workspace idle = IDLE.get().poll();
        workspace = idle != null ? idle : new Workspace();
        deflater = workspace.deflater;
        input = workspace.input;
        output = workspace.output;
    }

    /** A level-1 raw deflater and its blocks of input and output. */
    private static final class Workspace {
        final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        final byte[] input = new byte[BLOCK];
        final byte[] output = new byte[BLOCK];
    }

    /** One complete member holding {@code content}: header, deflate stream, CRC-32 and size. */
    static byte[] compress(byte[] content) {
        try (GzipMembers gzip = new GzipMembers(content.length / 2 + 64)) {
            gzip.write(content, 0, content.length);
            return gzip.toByteArray();
        }
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (memberSize < 0) {
            out.writeBytes(HEADER);
            memberSize = 0;
        }
        memberSize += len;
        crc.update(b, off, len);
        while (len > 0) {
            int n = Math.min(len, BLOCK - buffered);
            System.arraycopy(b, off, input, buffered, n);
            buffered += n;
            off += n;
            len -= n;
            if (buffered == BLOCK) {
                deflateBuffered();
            }
        }
    }

    /** Ends the current member, if one is open, and appends {@code compressed}: one or more whole members. */
    void member(byte[] compressed) {
        endMember();
        out.writeBytes(compressed);
    }

    /** Ends the current member; the bytes so far. */
    byte[] toByteArray() {
        endMember();
        return out.toByteArray();
    }

    @Override
    public void close() {
        if (closed) {
            return; // twice on the stack would give two instances one deflater
        }
        closed = true;
        deflater.reset();
        buffered = 0;
        IDLE.get().push(workspace);
    }

    private void deflateBuffered() {
        deflater.setInput(input, 0, buffered);
        while (!deflater.needsInput()) {
            drain();
        }
        buffered = 0;
    }

    private void endMember() {
        if (memberSize < 0) {
            return;
        }
        deflateBuffered();
        deflater.finish();
        while (!deflater.finished()) {
            drain();
        }
        writeLittleEndian((int) crc.getValue());
        writeLittleEndian((int) memberSize); // ISIZE: the size modulo 2^32
        deflater.reset();
        crc.reset();
        memberSize = -1;
    }

    private void drain() {
        int n = deflater.deflate(output, 0, output.length);
        out.write(output, 0, n);
    }

    private void writeLittleEndian(int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
