package dev.hardway.faults;

import dev.hardway.api.Hardway;
import dev.hardway.io.FileTransaction;
import dev.hardway.model.HardwayException;
import dev.hardway.testing.TestClusters;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any one file of a generated PKI directory damaged at random (cut short, a byte changed, text inserted, emptied,
 * replaced by another PKI file, deleted): the next generate either succeeds, having kept every CA and secret a
 * running cluster depends on, or fails with a {@link HardwayException} naming that file and writes nothing. Never
 * another exception, never a new CA or secret.
 */
class DamagedPkiPropertiesTest {
    /** What a running cluster depends on and hardway must never make anew: a changed one breaks every node. */
    private static final Set<String> IRREPLACEABLE = Set.of("ca.key", "etcd-ca.key", "front-proxy-ca.key", "sa.key",
            "encryption-key");
    private static final Set<String> AUTHORITIES = Set.of("ca.crt", "etcd-ca.crt", "front-proxy-ca.crt");
    /** A parser's own words: Java class names and library packages are not what a user is told. */
    private static final Pattern INTERNALS = Pattern.compile("Exception|java\\.|org\\.bouncycastle|sun\\.security|\\tat ");

    private static Path work;
    private static Path spec;
    private static Map<String, byte[]> generated;
    private static List<String> names;
    private static int trial;

    @BeforeContainer
    static void generateOnce() throws IOException {
        work = Files.createTempDirectory("hardway-damaged-pki");
        spec = TestClusters.sample("minimal");
        Path pki = work.resolve("generated");
        TestClusters.generate("minimal", pki, work.resolve("generated-out"));
        generated = files(pki);
        // the PKI's files; not its lock file, which holds nothing
        names = generated.keySet().stream().filter(n -> !n.startsWith(".")).toList();
    }

    @AfterContainer
    static void removeWork() throws IOException {
        // jqwik may still be running a try it gave up waiting for while shrinking: let it finish first
        for (int attempt = 0; ; attempt++) {
            try {
                FileTransaction.deleteTree(work);
                return;
            } catch (IOException | UncheckedIOException stillInUse) {
                if (attempt == 20) {
                    throw stillInUse;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A damage: which file, how, where in the file, and with what text or which other file. */
    record Damage(String name, int kind, int at, String text, int other) {

        /** The file's damaged bytes, or null for a deleted file. */
        byte[] apply(byte[] original) {
            int p = original.length == 0 ? 0 : at % (original.length + 1);
            byte[] insert = text.getBytes(StandardCharsets.UTF_8);
            return switch (kind) {
                case 0 -> Arrays.copyOf(original, p);
                case 1 -> {
                    byte[] b = original.clone();
                    if (b.length > 0) {
                        b[Math.min(p, b.length - 1)] ^= (byte) (1 + other % 255);
                    }
                    yield b;
                }
                case 2 -> concat(Arrays.copyOf(original, p), insert, Arrays.copyOfRange(original, p, original.length));
                case 3 -> new byte[0];
                case 4 -> generated.get(names.get(other % names.size())).clone();
                default -> null;
            };
        }
    }

    @Provide
    Arbitrary<Damage> damages() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.of("\n", "\r\n", " ", "-----END CERTIFICATE-----\n", "-----BEGIN PRIVATE KEY-----\n",
                        "=", "\u0000", "é", "AAAA", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
                Arbitraries.strings().ofMaxLength(8));
        return Combinators.combine(Arbitraries.of(names), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 4000), text, Arbitraries.integers().between(0, 1000))
                .as(Damage::new);
    }

    @Property(tries = 100)
    void oneDamagedFile_isKeptOrRefusedNamingIt_neverANewCaOrSecret(@ForAll("damages") Damage damage)
            throws IOException {
        Path pki = work.resolve("pki-" + trial);
        Path out = work.resolve("out-" + trial);
        trial++;
        copy(work.resolve("generated"), pki);
        String name = damage.name();
        byte[] damaged = damage.apply(generated.get(name));
        if (damaged == null) {
            Files.delete(pki.resolve(name));
        } else {
            Files.write(pki.resolve(name), damaged);
        }
        Map<String, byte[]> before = files(pki);
        try {
            Hardway.generate(TestClusters.request(spec, pki).outputDirectory(out).build());
        } catch (HardwayException e) {
            Statistics.collect("refused", name.substring(name.lastIndexOf('.') + 1));
            String what = name + " " + damage;
            assertTrue(e.getMessage().contains(name), what + ": " + e.getMessage());
            assertFalse(INTERNALS.matcher(e.getMessage()).find(), what + ": " + e.getMessage());
            assertSameFiles(before, files(pki), what);
            assertFalse(Files.exists(out), what + ": " + out + " was written");
            return;
        }
        Statistics.collect("kept or made anew", name.substring(name.lastIndexOf('.') + 1));
        Map<String, byte[]> after = files(pki);
        for (String kept : IRREPLACEABLE) {
            byte[] now = after.get(kept);
            boolean original = Arrays.equals(generated.get(kept), now);
            boolean asDamaged = kept.equals(name) && Arrays.equals(damaged, now);
            assertTrue(original || asDamaged, kept + " was made anew after " + name + " " + damage);
        }
        for (String ca : AUTHORITIES) {
            assertArrayEquals(der(generated.get(ca)), der(after.get(ca)), ca + " changed after " + name + " " + damage);
        }
        // and every certificate the bundles now carry is one of those CAs' signatures: none reused damaged
        for (String crt : after.keySet().stream().filter(n -> n.endsWith(".crt")).toList()) {
            X509Certificate cert = certificate(after.get(crt));
            assertTrue(AUTHORITIES.stream().anyMatch(ca -> verifies(cert, certificate(after.get(ca)))),
                    crt + " verifies with no CA after " + name + " " + damage);
        }
    }

    private static boolean verifies(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate certificate(byte[] pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new AssertionError("not a certificate after a successful run", e);
        }
    }

    private static byte[] der(byte[] pem) {
        try {
            return certificate(pem).getEncoded();
        } catch (CertificateException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), what + ": " + k + " changed"));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    /** A copy with the modes: keys stay 0600, so that no run repairs a mode instead of reading the damage. */
    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> list = Files.list(from)) {
            for (Path p : list.filter(Files::isRegularFile).toList()) {
                Files.copy(p, to.resolve(p.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** The directory's regular files, name to bytes (a PKI directory is flat). */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).forEach(p -> {
                try {
                    out.put(p.getFileName().toString(), Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }
}
