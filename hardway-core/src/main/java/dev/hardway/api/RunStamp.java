package dev.hardway.api;

import dev.hardway.io.DirectoryLock;
import dev.hardway.io.FileModes;
import dev.hardway.bundle.OutputDirectory;
import dev.hardway.io.TreeStat;
import dev.hardway.model.OutputException;
import dev.hardway.model.PkiChange;
import dev.hardway.pki.Fingerprints;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The record a {@link Golden#generateIfChanged} leaves in the output directory when it succeeded: a digest of
 * everything generating reads and writes, as it left it, and when that stops being enough (a certificate entering
 * its renewal window). A later run whose digest is the same, before that instant, has nothing to do.
 *
 * <p>{@link Golden#generate} writes it; {@link Golden#generateIfChanged} reads it. What the digest covers: hardway's own code and libraries (their jars' size and mtime), the spec's bytes, the
 * template directory, and the metadata of every entry of the PKI, output and golden directories
 * ({@link TreeStat}: path, size, mtime, mode, inode). Any edit, removal, addition, chmod or restore from backup in
 * any of them, a new hardway version, or another spec makes the next run generate. A run that generates removes
 * the record first, so one that fails or is killed leaves none behind.
 */
final class RunStamp {
    static final String FILE = ".hardway-up-to-date";
    private static final int FORMAT = 2;
    /** How long to wait for the file-system clock to pass the newest recorded mtime (see {@link TreeStat}). */
    private static final int CLOCK_TICK_ATTEMPTS = 200;

    /**
     * Classes whose jars decide what hardway generates: its own, and each library it renders with. Named, not
     * loaded: loading a class from a signed jar (BouncyCastle's) verifies the whole jar, which an up-to-date run
     * has no other reason to pay for.
     */
    private static final List<String> CODE = List.of("dev.hardway.api.Hardway", "freemarker.template.Configuration",
            "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.dataformat.yaml.YAMLFactory", "com.fasterxml.jackson.dataformat.toml.TomlFactory",
            "org.yaml.snakeyaml.Yaml", "org.bouncycastle.cert.X509CertificateHolder",
            "org.bouncycastle.jce.provider.BouncyCastleProvider", "org.bouncycastle.util.Arrays",
            "inet.ipaddr.IPAddress", "org.apache.commons.compress.archivers.tar.TarArchiveEntry",
            "org.apache.commons.text.StringEscapeUtils", "com.github.difflib.DiffUtils");

    private final GenerationRequest request;
    private final Path golden;
    private final Path file;

    RunStamp(GenerationRequest request, Path goldenDirectory) {
        this.request = request;
        this.golden = goldenDirectory.toAbsolutePath().normalize();
        this.file = request.outputDirectory().resolve(FILE);
    }

    GenerationRequest request() {
        return request;
    }

    /** Whether a record can be kept for this request at all: only a spec read from a file has bytes to digest. */
    boolean applies() {
        return request.specFile() != null;
    }

    /** What generating reads before it writes: the spec and the templates. */
    record Inputs(String spec, TreeStat templates) {
    }

    Inputs inputs() {
        try {
            byte[] spec = Files.readAllBytes(request.specFile());
            TreeStat templates = request.templates().map(t -> TreeStat.of(t, Set.of())).orElse(TreeStat.absent());
            return new Inputs(Fingerprints.sha256Hex(spec), templates);
        } catch (IOException e) {
            // unreadable: generating reports it properly
            return new Inputs("unreadable", TreeStat.absent());
        }
    }

    /** The previous run's result, when everything is as it left it and nothing is due yet. */
    Optional<UpToDate> current(Inputs inputs) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
            // what was read first, since it is cheap: a changed spec needs no walk of thousands of files
            if (!String.valueOf(FORMAT).equals(p.getProperty("format"))
                    || !inputsDigest(inputs).equals(p.getProperty("inputs"))
                    || !treesDigest(directories()).equals(p.getProperty("trees"))) {
                return Optional.empty();
            }
            Instant due = Instant.parse(p.getProperty("renewalDue"));
            if (!request.clock().instant().isBefore(due)) {
                return Optional.empty();
            }
            List<String> warnings = new ArrayList<>();
            for (int i = 0; p.containsKey("warning." + i); i++) {
                warnings.add(p.getProperty("warning." + i));
            }
            return Optional.of(new UpToDate(Instant.parse(p.getProperty("generatedAt")), p.getProperty("cluster"),
                    p.getProperty("kubernetesVersion"), count(p, "controllers"), count(p, "workers"),
                    count(p, "pkiEntries"), count(p, "outputs"), count(p, "goldenFiles"), warnings, due));
        } catch (IOException | RuntimeException damaged) {
            // a damaged record only costs one full run
            return Optional.empty();
        }
    }

    /** Removes the record, before anything commits. */
    void forget() {
        if (!Files.isDirectory(file.getParent())) {
            return; // nothing to forget; generating says what is wrong with the directory
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new OutputException(file, "cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records what {@code update} left, if the spec and templates are still those read before it ran ({@code
     * before}) and it warned of nothing time-bound. Writing it is an optimisation: when it cannot be written, the
     * next run simply generates again.
     */
    void record(Inputs before, GoldenUpdate update) {
        GenerationResult result = update.generation();
        List<String> specWarnings = result.rendered().cluster().warnings();
        if (!result.warnings().equals(specWarnings) || !inputs().equals(before)) {
            return; // a PKI warning must be repeated each run; inputs edited meanwhile may not be what was read
        }
        // what an up-to-date run repeats: not a change this run made, which the next run no longer sees
        List<String> lasting = specWarnings.stream()
                .filter(w -> !result.rendered().cluster().changeWarnings().contains(w)).toList();
        Properties p = new Properties();
        p.setProperty("format", String.valueOf(FORMAT));
        List<TreeStat> trees = directories();
        p.setProperty("inputs", inputsDigest(before));
        p.setProperty("trees", treesDigest(trees));
        p.setProperty("generatedAt", request.clock().instant().toString());
        p.setProperty("renewalDue", result.rendered().renewalDue().toString());
        p.setProperty("cluster", result.rendered().cluster().name());
        p.setProperty("kubernetesVersion", result.rendered().cluster().kubernetesVersion().toString());
        p.setProperty("controllers", String.valueOf(result.rendered().cluster().controllers().size()));
        p.setProperty("workers", String.valueOf(result.rendered().cluster().workers().size()));
        // what the directory holds: a leaf removed this run is not one of its items
        p.setProperty("pkiEntries", String.valueOf(result.pkiChanges().stream()
                .filter(c -> c.action() != PkiChange.Action.REMOVED).count()));
        p.setProperty("outputs", String.valueOf(result.written().size() + result.unchanged().size()));
        p.setProperty("goldenFiles", String.valueOf(update.golden().written().size()
                + update.golden().unchanged().size()));
        for (int i = 0; i < lasting.size(); i++) {
            p.setProperty("warning." + i, lasting.get(i));
        }
        Path temp = file.resolveSibling(FILE + ".tmp");
        try {
            FileTime newest = Stream.concat(trees.stream(), Stream.of(before.templates())).map(TreeStat::newest)
                    .max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
            // Trusted only if written after the newest entry's clock tick: a change in that same tick could keep
            // an mtime the record holds, and go unseen.
            for (int attempt = 0; ; attempt++) {
                try (OutputStream out = Files.newOutputStream(temp)) {
                    p.store(out, "hardway: what the last generate read and left; delete to generate in full");
                }
                if (Files.getLastModifiedTime(temp).compareTo(newest) > 0) {
                    break;
                }
                if (attempt == CLOCK_TICK_ATTEMPTS) {
                    Files.deleteIfExists(temp);
                    return;
                }
                Thread.sleep(1);
            }
            Files.setPosixFilePermissions(temp, FileModes.PRIVATE);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the next run generates in full either way
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** hardway, the JVM, the spec and the templates. */
    private String inputsDigest(Inputs inputs) {
        List<String> parts = new ArrayList<>();
        parts.add("java " + Runtime.version());
        CODE.forEach(c -> parts.add("code " + code(c)));
        parts.add("spec " + request.specFile().toAbsolutePath().normalize() + " " + inputs.spec());
        parts.add("templates " + request.templates().map(Path::toString).orElse("built-in") + " "
                + inputs.templates().digest());
        return Fingerprints.sha256Hex(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    }

    /** The PKI, output and golden directories' entries. */
    private static String treesDigest(List<TreeStat> trees) {
        return Fingerprints.sha256Hex(trees.stream().map(TreeStat::digest)
                .collect(java.util.stream.Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The PKI, output and golden directories, in that order. Of the output directory only what hardway wrote
     * there counts: a file of the user's or another goal's (check-certs' certificates.json) changes no output.
     */
    private List<TreeStat> directories() {
        Set<String> outputs = new OutputDirectory(request.outputDirectory()).recordedNames();
        return List.of(TreeStat.of(request.pkiDirectory(), Set.of(DirectoryLock.FILE)),
                TreeStat.of(request.outputDirectory(),
                        name -> outputs.contains(name) || name.equals(OutputDirectory.RECORD)),
                TreeStat.of(golden, Set.of()));
    }

    /** Where a class's bytes are, with the size and mtime of that jar, or the digest of that directory tree. */
    private static String code(String className) {
        String resource = className.replace('.', '/') + ".class";
        URL url = RunStamp.class.getClassLoader() == null ? null
                : RunStamp.class.getClassLoader().getResource(resource);
        if (url == null) {
            return className + " not found";
        }
        try {
            if (url.getProtocol().equals("jar")) {
                String file = url.getPath();
                Path jar = Path.of(new URI(file.substring(0, file.indexOf("!/"))));
                return jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toInstant();
            }
            if (url.getProtocol().equals("file")) {
                Path classFile = Path.of(url.toURI());
                Path root = classFile;
                for (int i = 0; i < resource.split("/").length; i++) {
                    root = root.getParent();
                }
                return root + " " + TreeStat.of(root, Set.of()).digest();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // described by its URL below: a record that changes with it
        }
        return url.toString();
    }

    private static int count(Properties p, String key) {
        return Integer.parseInt(p.getProperty(key));
    }
}
