package dev.hardway.pki;

import dev.hardway.io.DirectoryLock;
import dev.hardway.io.FileTransaction;
import dev.hardway.model.PkiStateException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The directory where the CA, keys and certificates persist between runs, the one state of a cluster that cannot
 * be generated again. It changes only through {@link FileTransaction}s taken under its {@link DirectoryLock}, so
 * it moves from one consistent state to the next or not at all, and two runs never issue two CAs.
 */
public final class PkiDirectory {
    /** Lists every id the directory holds; see {@link PkiState#wasCreated}. */
    public static final String MANIFEST = "hardway-pki.manifest";
    /** The SHA-256 of every certificate and key as last written; see {@link WrittenDigests}. */
    public static final String DIGESTS = "hardway-pki.sha256";
    /**
     * What earlier runs decided about the cluster that later ones must keep (each node's pod subnet, the release
     * last generated), kept here because this is the one directory that persists between runs, and written in
     * the same transaction as the PKI, so a failed run changes neither. Its format is {@code dev.hardway.state}'s.
     */
    public static final String CLUSTER_STATE = "hardway-cluster.state";
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** A run that finds the PKI locked waits this long for the other run before it gives up. */
    public static final Duration LOCK_TIMEOUT = Duration.ofMinutes(10);

    private final Path root;

    public PkiDirectory(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * Creates the directory (0700) if needed, locks it for this run, and finishes or discards what an interrupted
     * earlier run left. Close the lock after the run's commit.
     */
    public DirectoryLock lock(Consumer<String> waiting) {
        try {
            return DirectoryLock.ownedDirectory(root, LOCK_TIMEOUT, waiting);
        } catch (IOException e) {
            throw new PkiStateException(PkiStateException.Reason.INACCESSIBLE, root,
                    "cannot create the PKI directory " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every file, seeing an interrupted run's committed journal as applied (a reader without the lock must
     * see the state that run decided, not half of it).
     */
    public PkiState read() {
        if (!Files.isDirectory(root)) {
            return PkiState.empty(root);
        }
        SortedMap<String, byte[]> files = new TreeMap<>();
        Map<String, String> loose = new LinkedHashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // the lock, the journal, editor leftovers
                }
                files.put(name, Files.readAllBytes(p));
                if (isPrivate(name)) {
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
                    if (mode.stream().anyMatch(OTHERS::contains)) {
                        loose.put(name, PosixFilePermissions.toString(mode));
                    }
                }
            }
        } catch (IOException e) {
            throw new PkiStateException(PkiStateException.Reason.INACCESSIBLE, root,
                    "cannot read the PKI directory " + root + ": " + e.getMessage(), e);
        }
        files.putAll(FileTransaction.committedButUnapplied(root));
        files.keySet().removeAll(FileTransaction.committedDeletes(root));
        Set<String> recorded = new HashSet<>();
        byte[] manifest = files.get(MANIFEST);
        if (manifest != null) {
            recorded.addAll(PkiState.parseManifest(new String(manifest, java.nio.charset.StandardCharsets.UTF_8)));
        }
        return new PkiState(root, files, recorded, loose);
    }

    /** Private material: keys and secrets, everything that is not a certificate, a public key or a fingerprint. */
    static boolean isPrivate(String name) {
        return !(name.endsWith(".crt") || name.endsWith(".pub") || name.endsWith(".sha256") || name.equals(MANIFEST)
                || name.equals(CLUSTER_STATE));
    }

    /**
     * Writes the journal of what {@code issued} adds and removes, and the manifest; tightens private files others
     * could read.
     * Nothing the run decided is visible until the returned transaction commits.
     */
    public FileTransaction.Prepared prepare(IssuedPki issued) {
        return prepare(issued, null);
    }

    /**
     * As {@link #prepare(IssuedPki)}, with the new {@link #CLUSTER_STATE} in the same transaction; {@code null}
     * when it is unchanged.
     */
    public FileTransaction.Prepared prepare(IssuedPki issued, byte[] clusterState) {
        try {
            if (!Files.getPosixFilePermissions(root).equals(PRIVATE_DIR)) {
                Files.setPosixFilePermissions(root, PRIVATE_DIR);
            }
            for (String name : issued.loosePrivateFiles()) {
                Files.setPosixFilePermissions(root.resolve(name), PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new PkiStateException(PkiStateException.Reason.INACCESSIBLE, root,
                    "cannot set the modes in " + root + ": " + e.getMessage(), e);
        }
        SortedMap<String, FileTransaction.Write> writes = new TreeMap<>(issued.writes());
        if (clusterState != null) {
            writes.put(CLUSTER_STATE, new FileTransaction.Write(clusterState,
                    PosixFilePermissions.fromString("rw-------")));
        }
        return FileTransaction.prepare(root, writes, issued.deletes());
    }

    /** The ids of a directory written before the manifest existed: a present CA implies everything was made. */
    static Set<String> legacyRecorded(PkiState state, List<String> planIds) {
        return state.recorded().isEmpty() && state.has("ca.crt") ? Set.copyOf(planIds) : state.recorded();
    }
}
