package dev.hardway.pki;

import dev.hardway.model.KeyAlgorithm;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pem's own framing and key reading must give what BouncyCastle's writer and key converter give, byte for byte. */
class PemTest {

    @Test
    void encode_certificatesAndKeys_isWhatBouncyCastlesWriterWrites() throws Exception {
        SecureRandom random = new SecureRandom(new byte[] {1});
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            KeyPair caPair = Keys.generate(algorithm, random);
            X509Certificate ca = new CertificateSigner(random).selfSignedCa("ca " + algorithm, caPair,
                    Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(3650));
            assertEquals(Pem.write(ca), Pem.encode(ca));
            assertEquals(Pem.write(caPair.getPrivate()), Pem.encode(caPair.getPrivate()));
            assertEquals(Pem.write(caPair.getPublic()), Pem.encode(caPair.getPublic()));
            // and what was read back from those files
            X509Certificate read = Pem.certificate(Pem.encode(ca));
            PrivateKey key = Pem.privateKey(Pem.encode(caPair.getPrivate()));
            assertEquals(ca, read);
            assertEquals(Pem.write(read), Pem.encode(read));
            assertEquals(Pem.write(key), Pem.encode(key));
        }
    }

    @Test
    void filesOpensslWrote_readAndEncodeAsBouncyCastleDoes(@TempDir Path dir) throws Exception {
        List<String[]> commands = List.of(
                new String[] {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", "ec.key", "-out", "ec.crt", "-subj", "/CN=openssl ec", "-days", "30",
                    "-addext", "subjectAltName=IP:10.0.0.1,DNS:a.example"},
                new String[] {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key",
                    "-out", "rsa.crt", "-subj", "/CN=openssl rsa", "-days", "30"},
                new String[] {"openssl", "ec", "-in", "ec.key", "-out", "ec-traditional.key"},
                new String[] {"openssl", "rsa", "-in", "rsa.key", "-out", "rsa-traditional.key", "-traditional"});
        for (String[] command : commands) {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command));
        }
        List<String> keys = new ArrayList<>(List.of("ec.key", "rsa.key", "ec-traditional.key",
                "rsa-traditional.key"));
        for (String name : keys) {
            String pem = Files.readString(dir.resolve(name));
            PrivateKey ours = Pem.privateKey(pem);
            PrivateKey theirs = bouncyCastle(pem);
            assertEquals(theirs.getClass(), ours.getClass(), name);
            assertArrayEquals(theirs.getEncoded(), ours.getEncoded(), name);
            assertEquals(Pem.write(ours), Pem.encode(ours), name);
        }
        for (String name : List.of("ec.crt", "rsa.crt")) {
            X509Certificate cert = Pem.certificate(Files.readString(dir.resolve(name)));
            assertEquals(Pem.write(cert), Pem.encode(cert), name);
        }
        assertThrows(java.io.IOException.class, () -> Pem.privateKey(Files.readString(dir.resolve("ec.crt"))));
        assertThrows(java.io.IOException.class, () -> Pem.certificate(Files.readString(dir.resolve("ec.key"))));
    }

    private static PrivateKey bouncyCastle(String pem) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return o instanceof PEMKeyPair pair ? converter.getPrivateKey(pair.getPrivateKeyInfo())
                    : converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
        }
    }

    @Test
    void plainIpv4Sans_areTheirOwnCanonicalForm() {
        java.util.Random random = new java.util.Random(3);
        List<String> texts = new ArrayList<>(List.of("10.0.0.1", "0.0.0.0", "255.255.255.255", "010.0.0.1",
                "256.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.4/24", "::1", "0:0:0:0:0:0:0:1", "1..2.3", "", "1.2.3.4 ",
                "1000.2.3.4", "01.2.3.4", "1.2.3.04"));
        for (int i = 0; i < 1000; i++) {
            texts.add(random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256));
        }
        for (String text : texts) {
            inet.ipaddr.IPAddress a = new inet.ipaddr.IPAddressString(text).getAddress();
            String library = a == null ? text : a.toCanonicalString();
            assertEquals(library, CertificateFacts.canonicalIp(text), text);
            if (dev.hardway.model.PlainIpv4.address(text) != dev.hardway.model.PlainIpv4.NOT_PLAIN) {
                assertEquals(library, text, text);
            }
        }
    }
}
