package dev.hardway.maven;

import dev.hardway.api.Hardway;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's exported surface is {@code dev.hardway.api} and {@code dev.hardway.model}: a Java tool (this
 * plugin included) should need nothing else. This test reads hardway-core's compiled classes and lists every
 * public or protected signature of an exported type (supertypes, fields, constructors, methods, with their
 * generic arguments and exceptions) that mentions a type from another package of hardway or from a third-party
 * library: each is an internal type leaking into the API.
 *
 * <p>It is a ratchet: {@link #KNOWN_LEAKS} lists the leaks there were when the test was written. A new leak fails
 * the test; so does a fixed one, until it is removed from the list, so the list only shrinks. When it is empty,
 * the API is sealed.
 */
class ExportedApiLeakTest {
    static final Set<String> EXPORTED = Set.of("dev.hardway.api", "dev.hardway.model");

    /** Leaks to fix in hardway-core (issue 10, item 5); remove each line as it is fixed. */
    static final Set<String> KNOWN_LEAKS = Set.of(
            "dev.hardway.api.CertificateCheck#run(2) -> dev.hardway.pki.ExpiryReport",
            "dev.hardway.api.CertificateCheck#run(3) -> dev.hardway.pki.ExpiryReport",
            "dev.hardway.api.GenerationResult#<init>(7 parameters) -> dev.hardway.pki.PkiChange",
            "dev.hardway.api.GenerationResult#pkiChanges(0) -> dev.hardway.pki.PkiChange",
            "dev.hardway.api.Golden#write(2) -> dev.hardway.golden.GoldenDirectory$Outcome",
            "dev.hardway.api.GoldenUpdate#<init>(2 parameters) -> dev.hardway.golden.GoldenDirectory$Outcome",
            "dev.hardway.api.GoldenUpdate#golden(0) -> dev.hardway.golden.GoldenDirectory$Outcome",
            "dev.hardway.api.GoldenVerification#<init>(3 parameters) -> dev.hardway.golden.GoldenComparison",
            "dev.hardway.api.GoldenVerification#<init>(3 parameters) -> dev.hardway.pki.PkiChange",
            "dev.hardway.api.GoldenVerification#comparison(0) -> dev.hardway.golden.GoldenComparison",
            "dev.hardway.api.GoldenVerification#pkiChanges(0) -> dev.hardway.pki.PkiChange",
            "dev.hardway.api.RenderedCluster#<init>(8 parameters) -> dev.hardway.bundle.NodeBundle",
            "dev.hardway.api.RenderedCluster#<init>(8 parameters) -> dev.hardway.pki.PkiChange",
            "dev.hardway.api.RenderedCluster#bundle(1) -> dev.hardway.bundle.NodeBundle",
            "dev.hardway.api.RenderedCluster#bundles(0) -> dev.hardway.bundle.NodeBundle",
            "dev.hardway.api.RenderedCluster#pkiChanges(0) -> dev.hardway.pki.PkiChange",
            "dev.hardway.model.InvalidSpecException extends -> dev.hardway.HardwayException"
    );

    @Test
    void exportedSignatures_mentionOnlyExportedOrJdkTypes_beyondTheKnownLeaks() {
        SortedSet<String> leaks = leaks();

        SortedSet<String> added = new TreeSet<>(leaks);
        added.removeAll(KNOWN_LEAKS);
        SortedSet<String> fixed = new TreeSet<>(KNOWN_LEAKS);
        fixed.removeAll(leaks);
        assertTrue(added.isEmpty() && fixed.isEmpty(), (added.isEmpty() ? "" : "New leaks of internal types into the "
                + "exported API (dev.hardway.api, dev.hardway.model); hide them behind an exported type:\n  "
                + String.join("\n  ", added) + "\n")
                + (fixed.isEmpty() ? "" : "Fixed leaks, to remove from KNOWN_LEAKS:\n  " + String.join("\n  ", fixed)
                + "\n") + "All leaks now (" + leaks.size() + "):\n\"" + String.join("\",\n\"", leaks) + "\"");
    }

    @Test
    void scan_findsTheExportedTypes() {
        List<Class<?>> types = exportedTypes();
        assertTrue(types.contains(Hardway.class), types.toString());
        assertTrue(types.stream().anyMatch(c -> c.getPackageName().equals("dev.hardway.model")), types.toString());
        assertEquals(0, types.stream().filter(c -> !EXPORTED.contains(c.getPackageName())).count());
    }

    static SortedSet<String> leaks() {
        SortedSet<String> out = new TreeSet<>();
        for (Class<?> type : exportedTypes()) {
            String owner = type.getName();
            check(out, owner + " extends", type.getGenericSuperclass());
            for (Type i : type.getGenericInterfaces()) {
                check(out, owner + " implements", i);
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    check(out, owner + "#" + f.getName(), f.getGenericType());
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers()) && !c.isSynthetic()) {
                    String where = owner + "#<init>(" + c.getParameterCount() + " parameters)";
                    for (Type p : c.getGenericParameterTypes()) {
                        check(out, where, p);
                    }
                    for (Type e : c.getGenericExceptionTypes()) {
                        check(out, where + " throws", e);
                    }
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    String where = owner + "#" + m.getName() + "(" + m.getParameterCount() + ")";
                    check(out, where, m.getGenericReturnType());
                    for (Type p : m.getGenericParameterTypes()) {
                        check(out, where, p);
                    }
                    for (Type e : m.getGenericExceptionTypes()) {
                        check(out, where + " throws", e);
                    }
                }
            }
        }
        return out;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(SortedSet<String> out, String where, Type type) {
        Set<Class<?>> mentioned = new java.util.LinkedHashSet<>();
        collect(type, mentioned, new java.util.HashSet<>());
        for (Class<?> c : mentioned) {
            if (!allowed(c)) {
                out.add(where + " -> " + c.getName());
            }
        }
    }

    private static boolean allowed(Class<?> c) {
        if (c.isPrimitive()) {
            return true;
        }
        String pkg = c.getPackageName();
        return EXPORTED.contains(pkg) || pkg.startsWith("java.") || pkg.startsWith("javax.");
    }

    private static void collect(Type type, Set<Class<?>> out, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            Class<?> base = c;
            while (base.isArray()) {
                base = base.getComponentType();
            }
            out.add(base);
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), out, seen);
            for (Type a : p.getActualTypeArguments()) {
                collect(a, out, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                collect(b, out, seen);
            }
            for (Type b : w.getLowerBounds()) {
                collect(b, out, seen);
            }
        } else if (type instanceof GenericArrayType g) {
            collect(g.getGenericComponentType(), out, seen);
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                collect(b, out, seen);
            }
        }
    }

    /** Every public type (nested ones included, when reachable through public types) of the exported packages. */
    static List<Class<?>> exportedTypes() {
        List<Class<?>> out = new ArrayList<>();
        for (String name : classNames()) {
            String pkg = name.substring(0, name.lastIndexOf('.'));
            if (!EXPORTED.contains(pkg)) {
                continue;
            }
            Class<?> c;
            try {
                c = Class.forName(name, false, Hardway.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            if (publiclyReachable(c)) {
                out.add(c);
            }
        }
        out.sort(java.util.Comparator.comparing(Class::getName));
        return out;
    }

    private static boolean publiclyReachable(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    /** Class names in hardway-core's classes directory or jar, wherever the test classpath has it. */
    private static List<String> classNames() {
        Path location;
        try {
            location = Path.of(Hardway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            if (Files.isDirectory(location)) {
                return names(location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                return names(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class")
                            && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        }
    }
}
