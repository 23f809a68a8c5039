package dev.hardway.model;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The files of a user's template directory that override nothing. A template there replaces the built-in one of
 * the same relative name, and any other file is never read: a misspelled override changes nothing, silently, so
 * each one is worth a warning that names the built-in template it was probably meant to replace.
 */
public final class TemplateOverrides {
    /** Where the top-level {@code templates/} folder lives inside the hardway-core jar. */
    private static final String ROOT = "dev/hardway/templates";

    private TemplateOverrides() {
    }

    /**
     * The built-in templates' names, relative to the templates root with {@code /} between folders, e.g.
     * {@code kubelet/kubelet-config.yaml.ftl}. Empty when the running hardway-core is packaged in a way this
     * cannot list (then no override is reported as unmatched: a false warning would teach users to ignore them).
     */
    public static SortedSet<String> builtIn() {
        URL root = TemplateOverrides.class.getResource("/" + ROOT + "/");
        if (root == null) {
            return Collections.emptySortedSet();
        }
        try {
            if (root.getProtocol().equals("jar")) {
                return inJar(root);
            }
            return inDirectory(Path.of(root.toURI()));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Collections.emptySortedSet();
        }
    }

    private static SortedSet<String> inJar(URL root) throws IOException {
        URLConnection connection = root.openConnection();
        // no cache: the JarFile is closed below, and a cached one is shared with the class loader
        connection.setUseCaches(false);
        String prefix = ROOT + "/";
        SortedSet<String> names = new TreeSet<>();
        try (JarFile jar = ((JarURLConnection) connection).getJarFile()) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                    names.add(entry.getName().substring(prefix.length()));
                }
            }
        }
        return names;
    }

    private static SortedSet<String> inDirectory(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> relative(root, p))
                    .collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
        }
    }

    /**
     * One warning per file in {@code templateDirectory} that has no built-in template of its name, naming the
     * file and the built-in template nearest to it. Hidden files and folders (a {@code .git}, an editor's swap
     * file) are not templates anyone meant to override and are passed over.
     *
     * @param templateDirectory the user's template directory; {@code null} or absent gives no warnings
     */
    public static List<String> unmatched(Path templateDirectory) {
        if (templateDirectory == null || !Files.isDirectory(templateDirectory)) {
            return List.of();
        }
        SortedSet<String> builtIn = builtIn();
        if (builtIn.isEmpty()) {
            return List.of();
        }
        List<String> files;
        try (Stream<Path> walk = Files.walk(templateDirectory)) {
            files = walk.filter(Files::isRegularFile).map(p -> relative(templateDirectory, p))
                    .filter(name -> Stream.of(name.split("/")).noneMatch(part -> part.startsWith(".")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the template directory " + templateDirectory, e);
        }
        List<String> warnings = new ArrayList<>();
        for (String name : files) {
            if (!builtIn.contains(name)) {
                warnings.add("templateDirectory: " + name + " in " + templateDirectory + " replaces no built-in "
                        + "template, so it changes nothing; the nearest built-in template is " + nearest(name, builtIn)
                        + " (an override must have the same path and name)");
            }
        }
        return warnings;
    }

    /**
     * The built-in template nearest to {@code name} by edit distance of the path plus that of the file name: the
     * path alone would match {@code kubelet.service.ftl} (put in the wrong folder) to {@code etcd/etcd.service.ftl}
     * rather than to {@code kubelet/kubelet.service.ftl}.
     */
    private static String nearest(String name, SortedSet<String> builtIn) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : builtIn) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance.apply(lower, c) + distance.apply(fileName(lower), fileName(c));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String fileName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/");
    }
}
