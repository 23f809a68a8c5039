package dev.hardway.maven.it;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SortedMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same spec, same PKI, a different machine's time zone, locale and default charset: every tarball, kubeconfig and
 * golden file has the same SHA-256. Locales need not be installed: {@code MAVEN_OPTS} sets the JVM's locale as
 * {@code LANG} would, and {@code mvn -V} prints what the JVM ended up with.
 */
class ReproducibilityIT {

    @Test
    void generate_underDifferentTimeZoneAndLocale_givesIdenticalChecksums() {
        InfraRepo repo = InfraRepo.fromSample("reproducibility", "minimal");

        MavenRun india = repo.mvn(Map.of("TZ", "Asia/Kolkata", "LANG", "de_DE.UTF-8", "LC_ALL", "de_DE.UTF-8",
                        "MAVEN_OPTS", "-Duser.language=de -Duser.country=DE -Dfile.encoding=ISO-8859-1"),
                "-V", "hardway:generate", "-Dhardway.outputDirectory=target/out-kolkata-de",
                "-Dhardway.goldenDirectory=target/golden-kolkata-de");
        MavenRun utc = repo.mvn(Map.of("TZ", "UTC", "LANG", "C", "LC_ALL", "C", "MAVEN_OPTS", ""),
                "-V", "hardway:generate", "-Dhardway.outputDirectory=target/out-utc-c",
                "-Dhardway.goldenDirectory=target/golden-utc-c");

        assertTrue(india.succeeded(), india.describe());
        assertTrue(utc.succeeded(), utc.describe());
        assertTrue(india.output().contains("Default locale: de_DE, platform encoding: ISO-8859-1"), india.describe());
        assertFalse(utc.output().contains("Default locale: de_DE"), utc.describe());
        SortedMap<String, String> bundles = repo.checksums("target/out-kolkata-de");
        assertTrue(bundles.keySet().stream().anyMatch(n -> n.endsWith(".tar.gz")), bundles.toString());
        SortedMap<String, String> utcBundles = repo.checksums("target/out-utc-c");
        // report.json says what each run did: the first created the shared PKI, the second reused it
        assertTrue(bundles.remove("report.json") != null && utcBundles.remove("report.json") != null);
        // and the up-to-date record holds each run's own paths and times
        assertTrue(bundles.remove(".hardway-up-to-date") != null && utcBundles.remove(".hardway-up-to-date") != null);
        assertEquals(bundles, utcBundles);
        SortedMap<String, String> golden = repo.checksums("target/golden-kolkata-de");
        assertTrue(golden.size() > 10, golden.toString());
        assertEquals(golden, repo.checksums("target/golden-utc-c"));
    }
}
