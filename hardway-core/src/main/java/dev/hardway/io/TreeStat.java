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
import java.util.function.Predicate;

/**
 * What a directory tree looks like from its metadata alone: every file's relative path, type, permissions, size,
 * modification time and file key (device and inode), and every directory's path and permissions, digested.
 * Reading no content, it tells in milliseconds whether thousands of files are as someone left them: editing,
 * replacing, adding, removing, renaming or chmod-ing any entry changes it. (A directory's own mtime is left out:
 * the walk sees its entries one by one, and creating a file beside the tree must not change it.) A symbolic link,
 * the root included, counts as what it names and what it leads to; a linked directory inside the tree is not
 * walked.
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
        return of(root, name -> !ignoredNames.contains(name));
    }

    /**
     * Stats {@code root} and, of the entries directly under it, those whose name is {@code counted}, with
     * everything under them: a directory shared with other tools is stated only for what hardway owns there.
     */
    public static TreeStat of(Path root, Predicate<String> counted) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return absent();
        }
        List<String> lines = new ArrayList<>();
        long[] newest = {0};
        try {
            Path tree = root;
            if (Files.isSymbolicLink(root)) {
                // a directory kept elsewhere (another volume, a shared PKI): what the link names, then that tree
                lines.add("\0l " + Files.readSymbolicLink(root));
                if (!Files.exists(root)) {
                    return digest(lines, newest);
                }
                tree = root.toRealPath();
            }
            walk(tree, tree, counted, lines, newest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root + ": " + e.getMessage(), e);
        }
        return digest(lines, newest);
    }

    private static TreeStat digest(List<String> lines, long[] newest) {
        lines.sort(null);
        return new TreeStat(Fingerprints.sha256Hex(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)),
                FileTime.from(newest[0], TimeUnit.NANOSECONDS), lines.size());
    }

    private static void walk(Path root, Path path, Predicate<String> counted, List<String> lines, long[] newest)
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
                    if (!path.equals(root) || counted.test(child.getFileName().toString())) {
                        children.add(child);
                    }
                }
            }
            for (Path child : children) {
                walk(root, child, counted, lines, newest);
            }
            return;
        }
        if (a.isSymbolicLink()) {
            // a key linked in from elsewhere is read through the link: what it names, and what it leads to
            lines.add(relative + "\0l " + Files.readSymbolicLink(path));
            if (!Files.exists(path)) {
                return;
            }
            a = Files.readAttributes(path, PosixFileAttributes.class);
            mode = PosixFilePermissions.toString(a.permissions());
        }
        long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        lines.add(relative + "\0" + (a.isRegularFile() ? 'f' : 'o') + ' ' + mode + ' ' + a.size() + ' ' + mtime + ' '
                + a.fileKey());
        newest[0] = Math.max(newest[0], mtime);
    }
}
