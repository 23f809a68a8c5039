package dev.hardway.io;

import dev.hardway.pki.Fingerprints;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a directory tree looks like from its metadata alone: every file's relative path, type, permissions, size,
 * modification time and file key (device and inode), and every directory's path and permissions, digested.
 * Reading no content, it tells in milliseconds whether thousands of files are as someone left them: editing,
 * replacing, adding, removing, renaming or chmod-ing any entry changes it. (A directory's own mtime is left out:
 * the walk sees its entries one by one, and creating a file beside the tree must not change it.)
 *
 * <p>Like git's index, it trusts the file system's clock: a change made in the same clock tick as the newest
 * time it recorded could go unseen, which is why {@link #newest()} is kept: a record of the tree is only trusted
 * when it was written after that tick.
 *
 * @param digest  hex SHA-256 of every entry's metadata, in sorted path order
 * @param newest  the latest modification time of any file (0 when there is none)
 * @param entries how many entries were seen, the root included
 */
public record TreeStat(String digest, FileTime newest, int entries) {

    /** The stat of a tree that does not exist. */
    public static TreeStat absent() {
        return new TreeStat(Fingerprints.sha256Hex(new byte[0]), FileTime.fromMillis(0), 0);
    }

    /**
     * Stats {@code root} and everything under it, skipping entries directly under {@code root} named in
     * {@code ignoredNames} (a lock file, the record itself). A missing root gives {@link #absent()}.
     */
    public static TreeStat of(Path root, Set<String> ignoredNames) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return absent();
        }
        List<String> lines = new ArrayList<>();
        long[] newest = {0};
        try {
            walk(root, root, ignoredNames, lines, newest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root + ": " + e.getMessage(), e);
        }
        lines.sort(null);
        return new TreeStat(Fingerprints.sha256Hex(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)),
                FileTime.from(newest[0], TimeUnit.NANOSECONDS), lines.size());
    }

    private static void walk(Path root, Path path, Set<String> ignored, List<String> lines, long[] newest)
            throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException removedMeanwhile) {
            return; // the digest differs from any record either way
        }
        String relative = root.relativize(path).toString();
        String mode = PosixFilePermissions.toString(a.permissions());
        if (a.isDirectory()) {
            // its entries are walked one by one; its own mtime only moves with them
            lines.add(relative + "\0d " + mode);
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path child : entries) {
                    if (!(path.equals(root) && ignored.contains(child.getFileName().toString()))) {
                        children.add(child);
                    }
                }
            }
            for (Path child : children) {
                walk(root, child, ignored, lines, newest);
            }
            return;
        }
        long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        lines.add(relative + "\0" + (a.isRegularFile() ? 'f' : 'o') + ' ' + mode + ' ' + a.size() + ' ' + mtime + ' '
                + a.fileKey());
        newest[0] = Math.max(newest[0], mtime);
    }
}
