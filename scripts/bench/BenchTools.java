// Helpers for scripts/benchmark.sh (by hand, never part of the build or the tests). JDK only, no hardway code:
//   java BenchTools.java plan PKI_DIR PLAN_DIR      describe every certificate and key pair in PKI_DIR so that a
//                                                    KTHW-style openssl script can issue exactly the same ones
//   java BenchTools.java floor COUNT RSA|EC THREADS  the floor: COUNT key pairs on THREADS threads in this JVM
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

public class BenchTools {

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "plan" -> plan(Path.of(args[1]), Path.of(args[2]));
            case "floor" -> floor(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("usage: plan PKI_DIR PLAN_DIR | floor COUNT RSA|EC THREADS");
        }
    }

    // ---- floor ----------------------------------------------------------------------------------------------

    /**
     * Generates {@code count} key pairs on {@code threads} threads, one generator per thread, and prints the
     * milliseconds from the first to the last. Nothing is excluded: JIT warm-up is part of the figure, as it is
     * part of a cold {@code mvn hardway:generate}; JVM start-up is not (the script times the process too).
     */
    static void floor(int count, String alg, int threads) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ThreadLocal<KeyPairGenerator> gen = ThreadLocal.withInitial(() -> {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance(alg.equals("RSA") ? "RSA" : "EC");
                if (alg.equals("RSA")) {
                    g.initialize(2048);
                } else {
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                }
                return g;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<Future<Integer>> done = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            done.add(pool.submit(() -> gen.get().generateKeyPair().getPublic().getEncoded().length));
        }
        long bytes = 0;
        for (Future<Integer> f : done) {
            bytes += f.get();
        }
        pool.shutdown();
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("keys=" + count + " alg=" + alg + " threads=" + threads + " keygen_ms=" + ms
                + " public_bytes=" + bytes);
    }

    // ---- plan -----------------------------------------------------------------------------------------------

    private static final String[] KEY_USAGES = {"digitalSignature", "nonRepudiation", "keyEncipherment",
            "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    private static final Map<String, String> EKUS = Map.of(
            "1.3.6.1.5.5.7.3.1", "serverAuth", "1.3.6.1.5.5.7.3.2", "clientAuth",
            "1.3.6.1.5.5.7.3.3", "codeSigning", "1.3.6.1.5.5.7.3.4", "emailProtection");

    /**
     * Writes, for every {@code <id>.crt}: {@code <id>.subj} (openssl -subj form), {@code <id>.days},
     * {@code <id>.ext} (one -addext value a line), {@code <id>.alg} (RSA or EC, for every key) and, for a leaf, {@code <id>.issuer} (the id of its CA); then the
     * lists {@code cas}, {@code leaves} and {@code keyonly} (a .key without .crt, e.g. the service-account key),
     * and {@code summary}.
     */
    static void plan(Path pki, Path out) throws Exception {
        Files.createDirectories(out);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Map<String, X509Certificate> certs = new TreeMap<>();
        List<String> keyOnly = new ArrayList<>();
        try (Stream<Path> files = Files.list(pki)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".crt")) {
                    try (InputStream in = Files.newInputStream(p)) {
                        certs.put(name.substring(0, name.length() - 4), (X509Certificate) cf.generateCertificate(in));
                    }
                } else if (name.endsWith(".key")
                        && !Files.exists(pki.resolve(name.substring(0, name.length() - 4) + ".crt"))) {
                    keyOnly.add(name.substring(0, name.length() - 4));
                }
            }
        }
        Map<String, String> caBySubject = new TreeMap<>();
        List<String> cas = new ArrayList<>();
        List<String> leaves = new ArrayList<>();
        for (var e : certs.entrySet()) {
            X509Certificate c = e.getValue();
            if (c.getBasicConstraints() >= 0) {
                caBySubject.put(c.getSubjectX500Principal().getName(), e.getKey());
                if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                    cas.add(e.getKey());
                    continue;
                }
            }
            leaves.add(e.getKey());
        }
        TreeMap<String, Integer> keyAlgorithms = new TreeMap<>();
        for (String id : keyOnly) {
            String alg = keyAlgorithm(pki.resolve(id + ".key"));
            keyAlgorithms.merge(alg, 1, Integer::sum);
            Files.writeString(out.resolve(id + ".alg"), alg + "\n");
        }
        for (var e : certs.entrySet()) {
            String id = e.getKey();
            X509Certificate c = e.getValue();
            String alg = c.getPublicKey().getAlgorithm();
            keyAlgorithms.merge(alg, 1, Integer::sum);
            Files.writeString(out.resolve(id + ".alg"), alg + "\n");
            Files.writeString(out.resolve(id + ".subj"), subject(c) + "\n");
            long days = Math.round((c.getNotAfter().getTime() - c.getNotBefore().getTime()) / 86_400_000.0);
            Files.writeString(out.resolve(id + ".days"), days + "\n");
            Files.write(out.resolve(id + ".ext"), extensions(c));
            if (leaves.contains(id)) {
                String issuer = caBySubject.get(c.getIssuerX500Principal().getName());
                if (issuer == null) {
                    throw new IllegalStateException(id + ": issuer " + c.getIssuerX500Principal() + " is not in " + pki);
                }
                Files.writeString(out.resolve(id + ".issuer"), issuer + "\n");
            }
        }
        // intermediate CAs (none today) are leaves of their issuer, so they must be issued before their leaves
        leaves.sort((a, b) -> Boolean.compare(certs.get(b).getBasicConstraints() >= 0,
                certs.get(a).getBasicConstraints() >= 0));
        Files.write(out.resolve("cas"), cas);
        Files.write(out.resolve("leaves"), leaves);
        Files.write(out.resolve("keyonly"), keyOnly);
        String summary = "certs=" + certs.size() + " cas=" + cas.size() + " leaves=" + leaves.size()
                + " keyonly=" + keyOnly.size() + " keypairs=" + (certs.size() + keyOnly.size())
                + " rsakeys=" + keyAlgorithms.getOrDefault("RSA", 0) + " eckeys=" + keyAlgorithms.getOrDefault("EC", 0)
                + " algorithms=" + keyAlgorithms;
        Files.writeString(out.resolve("summary"), summary + "\n");
        System.out.println(summary);
    }

    /** RSA or EC, from a PEM private key (PKCS#8, or the PKCS#1 / SEC 1 forms by their header). */
    private static String keyAlgorithm(Path key) throws IOException {
        String pem = Files.readString(key);
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            return "RSA";
        }
        if (pem.contains("BEGIN EC PRIVATE KEY")) {
            return "EC";
        }
        byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        for (String alg : new String[] {"RSA", "EC"}) {
            try {
                java.security.KeyFactory.getInstance(alg).generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
                return alg;
            } catch (java.security.GeneralSecurityException e) {
                // try the next
            }
        }
        throw new IllegalStateException(key + ": neither an RSA nor an EC private key");
    }

    private static String subject(X509Certificate c) throws Exception {
        StringBuilder s = new StringBuilder();
        // getRdns() lists the RDNs in ASN.1 order, which is -subj's order
        for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
            s.append('/').append(rdn.getType()).append('=')
                    .append(rdn.getValue().toString().replace("\\", "\\\\").replace("/", "\\/"));
        }
        return s.toString();
    }

    private static List<String> extensions(X509Certificate c) throws Exception {
        var critical = c.getCriticalExtensionOIDs() == null ? java.util.Set.<String>of() : c.getCriticalExtensionOIDs();
        List<String> ext = new ArrayList<>();
        if (c.getExtensionValue("2.5.29.19") != null) {
            int path = c.getBasicConstraints();
            ext.add("basicConstraints=" + crit(critical, "2.5.29.19")
                    + (path < 0 ? "CA:FALSE" : "CA:TRUE" + (path == Integer.MAX_VALUE ? "" : ",pathlen:" + path)));
        }
        boolean[] ku = c.getKeyUsage();
        if (ku != null) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < ku.length && i < KEY_USAGES.length; i++) {
                if (ku[i]) {
                    names.add(KEY_USAGES[i]);
                }
            }
            ext.add("keyUsage=" + crit(critical, "2.5.29.15") + String.join(",", names));
        }
        List<String> eku = c.getExtendedKeyUsage();
        if (eku != null) {
            ext.add("extendedKeyUsage=" + crit(critical, "2.5.29.37")
                    + String.join(",", eku.stream().map(o -> EKUS.getOrDefault(o, o)).toList()));
        }
        var sans = c.getSubjectAlternativeNames();
        if (sans != null) {
            List<String> names = new ArrayList<>();
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String prefix = switch (type) {
                    case 1 -> "email:";
                    case 2 -> "DNS:";
                    case 6 -> "URI:";
                    case 7 -> "IP:";
                    default -> throw new IllegalStateException("unsupported SAN type " + type);
                };
                names.add(prefix + san.get(1));
            }
            ext.add("subjectAltName=" + crit(critical, "2.5.29.17") + String.join(",", names));
        }
        return ext;
    }

    private static String crit(java.util.Set<String> critical, String oid) {
        return critical.contains(oid) ? "critical," : "";
    }
}
